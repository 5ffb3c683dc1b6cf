// The chunk of the log's call lines (chat-room.call-lines.js): a call's system message in the
// widget's language ("Ana started a video call", the name isolated: see inSentence), in place of
// the server's English text. Loaded with the first call line drawn.
import type { TemplateResult } from 'lit';
import type { Message } from '@chat/client';
import { chunkStrings } from '../i18n/chunk-strings.js';
import { inSentence, QUOTE } from '../parts/in-sentence.js';
import { callLinesEn, type CallLineStrings } from './call-line-strings.js';

/** A system line in the widget's language (`host`: the element's texts), or the message's text if it is not a call's. */
export function systemLine(m: Pick<Message, 'system' | 'text' | 'user'>, host: Partial<CallLineStrings>): TemplateResult | string {
  const note = m.system;
  if (!note) return m.text;
  const strings = chunkStrings(callLinesEn, host);
  const video = note.kind === 'video';
  if (note.type === 'call:started') return inSentence(strings.callStartedLine(QUOTE, video), m.user.name);
  if (note.missed) return inSentence(strings.missedCallLine(QUOTE, video), m.user.name);
  const seconds = Math.round(note.durationMs / 1000);
  const duration = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  return strings.callEndedLine(video, duration);
}
