export {
  type IdentityCheck,
  isIdentityToken,
  mintIdentityToken,
  newAnonymousId,
  openAnonymousId,
  sealAnonymousId,
  verifyIdentityToken,
} from "./identity-token";
export { createJwtVerifier, type JwtCheck, type JwtOptions, type JwtVerifier } from "./jwt";
export { clientAddress, isTrusted, parseProxies } from "./proxies";
export {
  createIdentityResolver,
  IDENTITY_SOURCES,
  type IdentityConfig,
  type IdentityRequest,
  type IdentityResolver,
  type IdentitySource,
  incomingRequest,
  UID_COOKIE,
} from "./resolver";
