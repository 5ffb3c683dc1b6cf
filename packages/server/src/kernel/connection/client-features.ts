import { builtInError, ClientFeature, ID_LIMITS } from '@chat/protocol';

/**
 * Checks the handshake's `auth.features` (optional): a list of at most
 * `ID_LIMITS.handshakeFeatures` names. Names the server does not know are ignored, so that a
 * client may ask for what newer servers offer. Throws `VALIDATION_FAILED` for anything else.
 */
export function checkClientFeatures(auth: Record<string, unknown>): void {
  const features = auth['features'];
  if (features === undefined) return;
  if (!Array.isArray(features) || features.length > ID_LIMITS.handshakeFeatures) {
    throw builtInError(
      'VALIDATION_FAILED',
      `auth.features must be a list of at most ${ID_LIMITS.handshakeFeatures} feature names, such as ["${ClientFeature.MESSAGES}"].`,
    );
  }
  for (const name of features) {
    if (typeof name !== 'string' || name.length === 0 || name.length > ID_LIMITS.featureName) {
      throw builtInError('VALIDATION_FAILED', `Each name in auth.features must be text of 1 to ${ID_LIMITS.featureName} characters.`);
    }
  }
}

/** Whether the handshake asked for `messages` batches (see `ClientFeature.MESSAGES`). Never throws. */
export function receivesBatches(auth: Record<string, unknown> | undefined): boolean {
  const features = auth?.['features'];
  return Array.isArray(features) && features.includes(ClientFeature.MESSAGES);
}
