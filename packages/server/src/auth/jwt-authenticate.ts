import {
  createRemoteJWKSet,
  errors as joseErrors,
  importSPKI,
  jwtVerify,
  type CryptoKey,
  type JWTPayload,
  type JWTVerifyGetKey,
  type KeyObject,
} from 'jose';
import { ChatError, type ChatUser } from '@chat/protocol';
import { tokenFrom, type Authenticate, type ChatHandshake } from './handshake.js';

/** Options of {@link jwtAuthenticate}; give exactly one of `secret`, `publicKey`, `jwksUrl`. */
export interface JwtAuthenticateOptions {
  /** Shared secret for HS256/384/512. */
  secret?: string | Uint8Array;
  /** Public key: a PEM (SPKI) string or a key object, for RS*, PS*, ES*, EdDSA. */
  publicKey?: string | CryptoKey | KeyObject;
  /** URL of a JSON Web Key Set. */
  jwksUrl?: string;
  /** Accepted algorithms; required, so that a token cannot pick its own. */
  algorithms: string[];
  issuer?: string | string[];
  audience?: string | string[];
  /** Clock skew allowed, in seconds. @default 5 */
  clockTolerance?: number;
  /** Maps verified claims to a user. @default sub -> id, name/preferred_username -> name, picture -> avatarUrl, roles -> roles */
  toUser?: (claims: JWTPayload) => ChatUser;
}

/**
 * Verifies a JWT from `handshake.auth.token` or `Authorization: Bearer`, with pinned
 * algorithms and a required `exp`.
 * @example createChatServer(http, { authenticate: jwtAuthenticate({ secret: process.env.JWT_SECRET!, algorithms: ['HS256'] }) })
 */
export function jwtAuthenticate(options: JwtAuthenticateOptions): Authenticate {
  const sources = [options.secret, options.publicKey, options.jwksUrl].filter((s) => s !== undefined);
  if (sources.length !== 1) throw new TypeError('jwtAuthenticate needs exactly one of secret, publicKey or jwksUrl.');
  if (!Array.isArray(options.algorithms) || options.algorithms.length === 0) {
    throw new TypeError('jwtAuthenticate needs a non-empty list of algorithms.');
  }
  const key = resolveKey(options);
  const toUser = options.toUser ?? defaultToUser;
  const verifyOptions = {
    algorithms: options.algorithms,
    requiredClaims: ['exp', 'sub'],
    clockTolerance: options.clockTolerance ?? 5,
    ...(options.issuer !== undefined && { issuer: options.issuer }),
    ...(options.audience !== undefined && { audience: options.audience }),
  };

  return async (handshake: ChatHandshake): Promise<ChatUser> => {
    const token = tokenFrom(handshake);
    if (!token) throw new ChatError('UNAUTHENTICATED', 'A sign-in token is required.');
    let claims: JWTPayload;
    try {
      claims = (await jwtVerify(token, await key(), verifyOptions)).payload;
    } catch (error) {
      throw new ChatError('UNAUTHENTICATED', describe(error), { cause: error });
    }
    return toUser(claims);
  };
}

type KeyResolver = () => Promise<Uint8Array | CryptoKey | KeyObject | JWTVerifyGetKey>;

function resolveKey(options: JwtAuthenticateOptions): KeyResolver {
  if (options.secret !== undefined) {
    const secret = typeof options.secret === 'string' ? new TextEncoder().encode(options.secret) : options.secret;
    return async () => secret;
  }
  if (options.jwksUrl !== undefined) {
    const jwks = createRemoteJWKSet(new URL(options.jwksUrl));
    return async () => jwks;
  }
  const publicKey = options.publicKey as string | CryptoKey | KeyObject;
  if (typeof publicKey !== 'string') return async () => publicKey;
  const imported = importSPKI(publicKey, options.algorithms[0] as string);
  return () => imported;
}

function defaultToUser(claims: JWTPayload): ChatUser {
  const id = claims.sub as string;
  const name = [claims['name'], claims['preferred_username'], claims['nickname']].find(
    (n): n is string => typeof n === 'string' && n.trim().length > 0,
  );
  const user: ChatUser = { id, name: (name ?? id).trim().slice(0, 64) };
  const picture = claims['picture'];
  if (typeof picture === 'string' && /^https?:\/\//iu.test(picture)) user.avatarUrl = picture;
  const roles = claims['roles'];
  if (Array.isArray(roles)) user.roles = roles.filter((r): r is string => typeof r === 'string');
  return user;
}

function describe(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'Your sign-in token has expired. Please sign in again.';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `The sign-in token was refused: ${error.message}.`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'The sign-in token uses an algorithm this server does not accept.';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'The sign-in token signature is not valid.';
  return 'The sign-in token is not valid.';
}
