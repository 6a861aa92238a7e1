/** The one stylesheet: mobile first, system fonts, WCAG AA contrast, no external resources. */
export const appCss = `
:root{--fg:#17191c;--muted:#4a5260;--bg:#f6f7f9;--card:#fff;--line:#d5d9e0;--brand:#0b57d0;--brand-fg:#fff;
--ok:#146c2e;--ok-bg:#e6f4ea;--warn:#7a4a00;--warn-bg:#fff4e0;--bad:#a8201a;--bad-bg:#fdecea;--radius:12px;
color-scheme:light;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
*{box-sizing:border-box}
body{margin:0}
a{color:var(--brand)}
a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:var(--card);padding:.5rem 1rem}
.skip:focus{left:.5rem;z-index:1}
.top{display:flex;align-items:center;justify-content:space-between;gap:1rem;padding:.75rem 1rem;background:var(--card);border-bottom:1px solid var(--line)}
.brand{font-weight:800;font-size:1.15rem;text-decoration:none;color:var(--fg);letter-spacing:-.02em}
.brand span{color:var(--brand)}
.top nav a{margin-left:1rem}
.tools{display:flex;align-items:center;flex-wrap:wrap;justify-content:flex-end;gap:.25rem 1rem}
.top .langs{font-size:.875rem;padding-left:1rem;border-left:1px solid var(--line)}
.top .langs>*{margin-left:.6rem}.top .langs>:first-child{margin-left:0}.langs [aria-current]{font-weight:700}
:lang(ko){word-break:keep-all}
main{max-width:44rem;margin:0 auto;padding:1.25rem 1rem 3rem}
main.wide{max-width:72rem}
h1{font-size:1.6rem;line-height:1.2;margin:.25rem 0 .75rem;letter-spacing:-.01em}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.eyebrow{margin:0;font-size:.8rem;font-weight:700;text-transform:uppercase;letter-spacing:.08em;color:var(--muted)}
.lead{font-size:1.05rem;color:var(--muted);margin-top:0}
.muted{color:var(--muted)}
.small{font-size:.875rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:1rem 1.1rem;margin:0 0 1rem}
.card>h2:first-child,.card>h3:first-child,summary h2{margin-top:0}
summary{cursor:pointer}
summary h2{display:inline;margin:0}
.inline{display:flex;flex-wrap:wrap;align-items:flex-end;gap:.5rem 1rem}
.inline input{width:100%}
.inline p{flex-basis:100%;margin:0}
.switches{border:0;padding:0;margin:.5rem 0;display:grid;gap:.25rem .75rem;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr))}
.switches p{margin:.1rem 0 0}
.switches input{width:auto;margin:0 .4rem 0 0}
.switches label{display:inline;font-weight:700}
button.danger{border-color:var(--bad,#a8201a);color:var(--bad,#a8201a)}
h3{font-size:1.05rem;margin:0}
.cards{list-style:none;padding:0;margin:0}
.cards h2{margin:.1rem 0 .35rem}
.cards h2 a{color:var(--fg);text-decoration:none}
.row{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem 1rem}
.badge{display:inline-block;font-size:.75rem;font-weight:700;padding:.15rem .55rem;border-radius:99px;background:#e8eefc;color:#0842a0}
.badge.upcoming{background:var(--warn-bg);color:var(--warn)}
.badge.sold_out,.badge.ended{background:#eceef1;color:var(--muted)}
.facts{display:grid;grid-template-columns:auto 1fr;gap:.35rem 1rem;margin:0 0 1rem}
.facts dt{color:var(--muted)}
.facts dd{margin:0;font-weight:600}
.button,button{display:inline-block;font:inherit;font-weight:700;border-radius:10px;border:2px solid var(--brand);background:var(--card);color:var(--brand);padding:.6rem 1.1rem;cursor:pointer;text-decoration:none;text-align:center}
.button.primary,button.primary{background:var(--brand);color:var(--brand-fg);font-size:1.1rem;padding:.85rem 1.4rem;width:100%}
button[disabled]{opacity:.6;cursor:progress}
.notice{border-radius:var(--radius);padding:.85rem 1rem;margin:1rem 0;border:1px solid var(--line);background:var(--card)}
.notice:empty{display:none}
.notice.ok{background:var(--ok-bg);border-color:#9fd3ad;color:var(--ok)}
.notice.warn{background:var(--warn-bg);border-color:#f0c77a;color:var(--warn)}
.notice.bad{background:var(--bad-bg);border-color:#f1aca6;color:var(--bad)}
.notice strong{display:block;font-size:1.05rem}
.notice p{margin:.25rem 0 0;color:var(--fg)}
.big{font-size:1.35rem;margin:.25rem 0 .75rem}
.big strong{font-size:2.6rem;display:block;line-height:1.1;color:var(--brand)}
progress{-webkit-appearance:none;appearance:none;display:block;width:100%;height:.9rem;border:0;border-radius:99px;background:#e3e7ee;overflow:hidden}
progress::-webkit-progress-bar{background:#e3e7ee;border-radius:99px}
progress::-webkit-progress-value{background:var(--brand);border-radius:99px}
progress::-moz-progress-bar{background:var(--brand);border-radius:99px}
.coupons{list-style:none;padding:0;margin:0}
.coupons li{border:1px dashed var(--brand);border-radius:10px;padding:.6rem .8rem;margin:.5rem 0;background:var(--card)}
.code{font:700 1.1rem ui-monospace,SFMono-Regular,Menlo,monospace;letter-spacing:.04em}
label{display:block;font-weight:600;margin:.6rem 0 .25rem}
input{font:inherit;width:100%;padding:.55rem .65rem;border:1px solid #8a93a3;border-radius:8px;background:var(--card);color:var(--fg)}
.grid{display:grid;gap:0 1rem}
.stats{display:grid;grid-template-columns:repeat(3,1fr);gap:.5rem;margin:.75rem 0}
.stat{background:var(--bg);border-radius:8px;padding:.4rem .6rem}
.stat b{display:block;font-size:1.2rem}
.stat span{font-size:.8rem;color:var(--muted)}
meter{width:100%;height:.8rem}
svg.chart{width:100%;height:auto;display:block;background:var(--bg);border-radius:8px}
.legend{font-size:.8rem;color:var(--muted);margin:.25rem 0 0}
.legend i{display:inline-block;width:.9rem;height:.2rem;vertical-align:middle;margin:0 .3rem 0 .6rem;background:var(--brand)}
.legend i.w{background:#c2410c}
.legend i.t{background:none;border-top:2px dashed var(--bad)}
@media (min-width:40rem){h1{font-size:2rem}.button.primary,button.primary{width:auto}.grid{grid-template-columns:1fr 1fr}}
`;
