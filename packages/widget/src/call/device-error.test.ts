import { describe, expect, it } from 'vitest';
import { ChatError } from '@chat/client';
import { errorText } from '../i18n/error-text.js';
import { en } from '../i18n/en.js';
import { es } from '../i18n/es.js';
import { callEn } from './call-strings.js';
import { saidDevices } from './device-error.js';

/** A ChatError as the SDK makes it when getUserMedia fails (its DOMException as the cause). */
const deviceError = (code: 'FORBIDDEN' | 'VALIDATION_FAILED' | 'INTERNAL', name: string) =>
  new ChatError(code, 'In English, from the SDK.', { cause: new DOMException('no', name), lang: 'en' });

describe('saidDevices: why the microphone or camera failed, in the widget language', () => {
  it("says getUserMedia's refusals in Spanish, for a video or an audio call", () => {
    const said = (error: ChatError, video: boolean) => errorText(es, saidDevices(error, es, video));
    expect(said(deviceError('FORBIDDEN', 'NotAllowedError'), true)).toBe(
      'El navegador no permitió usar el micrófono y la cámara: permítelo en esta página para llamar.',
    );
    expect(said(deviceError('VALIDATION_FAILED', 'NotFoundError'), false)).toBe('No se encontró el micrófono en este dispositivo.');
    expect(said(deviceError('INTERNAL', 'NotReadableError'), true)).toBe(
      'No se pudo iniciar el micrófono y la cámara: puede que otra aplicación los esté usando.',
    );
  });

  it('says them in English in an English widget, and keeps the error for chat-error', () => {
    const error = deviceError('FORBIDDEN', 'SecurityError');
    expect(errorText(en, saidDevices(error, callEn, false))).toBe(
      'The browser did not allow the microphone: allow them for this page to call.',
    );
    expect(saidDevices(error, callEn, false)).toBe(error);
    expect(error.message).toBe('In English, from the SDK.');
  });

  it("leaves other errors to strings.errors: the server's, and a failure that is not the devices'", () => {
    const server = new ChatError('CALL_NOT_FOUND', 'No call with this id is going on.', { lang: 'en' });
    expect(errorText(es, saidDevices(server, es, true))).toBe('Esa llamada ya no está en curso.');
    const rtc = new ChatError('INTERNAL', 'The call connection failed: OperationError', {
      cause: new DOMException('x', 'OperationError'),
      lang: 'en',
    });
    expect(errorText(es, saidDevices(rtc, es, true))).toBe('Algo falló. Vuelve a intentarlo más tarde.');
    expect(errorText(en, saidDevices(rtc, callEn, true))).toBe('The call connection failed: OperationError');
  });
});
