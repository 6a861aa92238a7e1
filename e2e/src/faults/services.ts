import { execFileSync } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";

function mariadbUp(): boolean {
  try {
    execFileSync("mariadb-admin", ["--protocol=tcp", "-h", "127.0.0.1", "-P", "3306", "-uroot", "ping"], {
      stdio: "ignore",
    });
    return true;
  } catch {
    return false;
  }
}

/** Stops the local MariaDB (as an outage would) and waits until it no longer answers. */
export async function stopMariadb(): Promise<void> {
  execFileSync("start-stop-daemon", ["--stop", "--oknodo", "--retry", "30", "--exec", "/usr/sbin/mariadbd"], {
    stdio: "ignore",
  });
  for (let i = 0; i < 100 && mariadbUp(); i++) await sleep(100);
}

/** Starts it again the way the machine does (infra/services.sh) and waits until it answers. */
export async function startMariadb(): Promise<void> {
  execFileSync("start-stop-daemon", ["--start", "--oknodo", "--background", "--exec", "/usr/sbin/mariadbd"], {
    stdio: "ignore",
  });
  for (let i = 0; i < 300 && !mariadbUp(); i++) await sleep(100);
  if (!mariadbUp()) throw new Error("MariaDB did not come back");
}
