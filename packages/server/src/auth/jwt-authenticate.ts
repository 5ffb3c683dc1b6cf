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
import { builtInError, DEFAULT_LIMITS, ID_LIMITS, cleanDisplayName, type ChatUser } from '@chat/protocol';
import { isStorableText } from './check-user.js';
import { tokenFrom, type Authenticate, type ChatHandshake } from '../core/handshake.js';

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
  /**
   * Maps verified claims to a user. The default: `sub` -> id (a whole number is taken as its
   * digits), the first usable of `name`, `preferred_username`, `nickname` -> name (cleaned like
   * a guest name; none usable: the id), `picture` -> avatarUrl, `roles` -> roles.
   */
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
    if (!token) throw builtInError('UNAUTHENTICATED', 'A sign-in token is required.');
    let claims: JWTPayload;
    try {
      claims = (await jwtVerify(token, await key(), verifyOptions)).payload;
    } catch (error) {
      throw builtInError('UNAUTHENTICATED', describe(error), { cause: error });
    }
    const user = toUser(claims);
    // The connection signs out when the verifier would start refusing the token (exp plus the
    // clock tolerance), unless the client refreshes it first.
    return user.expiresAt === undefined && typeof claims.exp === 'number'
      ? { ...user, expiresAt: new Date((claims.exp + verifyOptions.clockTolerance) * 1000).toISOString() }
      : user;
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

// Controls and text-direction characters in an identity provider's name are dropped, not
// refused: the person cannot fix them from here. Everything else follows the guest rules.
const DROPPED = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\p{Cs}]/gu;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function defaultToUser(claims: JWTPayload): ChatUser {
  const id = subjectOf(claims.sub);
  const name = [claims['name'], claims['preferred_username'], claims['nickname'], id].map(claimName).find((n) => n !== undefined);
  if (name === undefined) {
    throw builtInError('UNAUTHENTICATED', 'The sign-in token has no usable name (name, preferred_username or nickname).');
  }
  const user: ChatUser = { id, name };
  const picture = claims['picture'];
  if (typeof picture === 'string' && /^https?:\/\//iu.test(picture) && picture.length <= ID_LIMITS.url && isStorableText(picture)) {
    user.avatarUrl = picture;
  }
  const roles = claims['roles'];
  if (Array.isArray(roles)) user.roles = roles.filter((r): r is string => typeof r === 'string' && isStorableText(r));
  return user;
}

function subjectOf(sub: unknown): string {
  // jose checks that sub is present, not that it is a string; a numeric id is common.
  const id = typeof sub === 'number' && Number.isSafeInteger(sub) ? String(sub) : sub;
  if (typeof id !== 'string' || id === '') {
    throw builtInError('UNAUTHENTICATED', 'The sign-in token\'s subject ("sub") must be a non-empty string or a whole number.');
  }
  if (!isStorableText(id)) {
    throw builtInError('UNAUTHENTICATED', 'The sign-in token\'s subject ("sub") contains a NUL character or broken Unicode.');
  }
  return id;
}

// A claim as a display name: cleaned, cut to the longest name at a character boundary; undefined when unusable.
function claimName(claim: unknown): string | undefined {
  if (typeof claim !== 'string') return undefined;
  try {
    const name = cleanDisplayName(claim.replace(DROPPED, ''));
    if (name.length <= DEFAULT_LIMITS.maxNameLength) return name;
    let cut = '';
    for (const { segment } of graphemes.segment(name)) {
      if (cut.length + segment.length > DEFAULT_LIMITS.maxNameLength) break;
      cut += segment;
    }
    return cleanDisplayName(cut);
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'Your sign-in token has expired. Please sign in again.';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `The sign-in token was refused: ${error.message}.`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'The sign-in token uses an algorithm this server does not accept.';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'The sign-in token signature is not valid.';
  return 'The sign-in token is not valid.';
}
