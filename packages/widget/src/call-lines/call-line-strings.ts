/**
 * The log's call lines ("Ana started a video call"). They live in the call lines' chunk; a host
 * changes them like any other text (`element.strings`, or a language of `registerLocale`).
 */
export interface CallLineStrings {
  /** A call's lines in the log: its start, its end with how long it lasted ("2:05"), a missed call. */
  callStartedLine: (name: string, video: boolean) => string;
  callEndedLine: (video: boolean, duration: string) => string;
  missedCallLine: (name: string, video: boolean) => string;
}

/** English. */
export const callLinesEn: CallLineStrings = {
  callStartedLine: (name, video) => `${name} started ${video ? 'a video' : 'an audio'} call`,
  callEndedLine: (video, duration) => `${video ? 'Video' : 'Audio'} call ended · ${duration}`,
  missedCallLine: (name, video) => `Missed ${video ? 'video' : 'audio'} call from ${name}`,
};
