import { chunkStrings } from '../i18n/chunk-strings.js';

/**
 * The texts of the voice recorder above the text box. They live in the recorder's chunk; a host
 * changes them like any other text (`element.strings`, or a language of `registerLocale`). Its
 * buttons are the widget's own "Cancel" and "Send".
 */
export interface RecorderStrings {
  /** The recorder's label while it records, for a screen reader. */
  recordingVoice: string;
  /** The recorder's Send, for a screen reader (its text is the widget's "Send"). */
  sendRecording: string;
  /** Said when the recording stops by itself (at 5 minutes, or the microphone went). */
  recordingStopped: string;
  /** The microphone could not be used (refused, or none): what to do about it. */
  micRefused: string;
}

/** English. */
export const recorderEn: RecorderStrings = {
  recordingVoice: 'Recording a voice message',
  sendRecording: 'Send voice message',
  recordingStopped: 'The recording stopped. Send it or cancel it.',
  micRefused: 'The microphone could not be used. Allow it for this page in your browser, then try again.',
};

/** These texts from the element's `strings` (its language's, the host's own on top), English where it has none. */
export const recorderStrings = (strings: Partial<RecorderStrings>): RecorderStrings => chunkStrings(recorderEn, strings);
