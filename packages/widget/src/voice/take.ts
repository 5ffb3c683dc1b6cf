// One recording from the microphone, for the voice recorder (recorder.ts): MediaRecorder for the
// audio, Web Audio for its loudness (the waveform), and the end of both.

/** The most values a waveform has (the protocol's `VOICE_WAVEFORM_MAX`). */
const BARS = 64;
/** What is recorded: the first of these the browser can record (it picks otherwise). */
const TYPES = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/mp4'];

/** `levels` in at most {@link BARS} values, each the loudest of the stretch it stands for. */
export function squeeze(levels: readonly number[]): number[] {
  if (levels.length <= BARS) return [...levels];
  return Array.from({ length: BARS }, (_, i) =>
    Math.max(...levels.slice(Math.floor((i * levels.length) / BARS), Math.floor(((i + 1) * levels.length) / BARS))),
  );
}

/** A recording under way. */
export interface Take {
  /** When the recorder started (its `start` event; `performance.now()`). */
  readonly startedAt: number;
  /** The loudness measured so far, one value (0-255) per `measure()`. */
  readonly levels: number[];
  /** Adds the loudest sample since the last call to `levels` (nothing where Web Audio is missing). */
  measure(): void;
  /** Stops the recorder, the microphone and the measuring (again: nothing). */
  stop(): void;
  /** Resolves with the recording once the recorder has stopped. */
  readonly done: Promise<Blob>;
}

/**
 * Starts recording `stream`. `ended` is called if the recording ends by itself (the microphone
 * unplugged or its permission taken back, the recorder failing). Throws where the browser cannot
 * record it (then nothing is left running but the stream, which the caller stops).
 */
export function startTake(stream: MediaStream, ended: () => void): Take {
  const mimeType = TYPES.find((type) => MediaRecorder.isTypeSupported(type));
  const recorder = new MediaRecorder(stream, mimeType === undefined ? {} : { mimeType });
  const parts: Blob[] = [];
  recorder.ondataavailable = (event) => {
    if (event.data.size > 0) parts.push(event.data);
  };
  const done = new Promise<Blob>((resolve) => (recorder.onstop = () => resolve(new Blob(parts, { type: recorder.mimeType }))));
  recorder.onerror = ended;
  for (const track of stream.getTracks()) track.onended = ended;
  recorder.start();
  // The loudness is a bonus: without Web Audio the recording goes without a waveform.
  let context: AudioContext | undefined;
  let measure = (): void => undefined;
  try {
    context = new AudioContext();
    void context.resume().catch(() => undefined); // a context made after an await may start suspended
    const analyser = context.createAnalyser();
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Uint8Array(analyser.fftSize);
    measure = () => {
      analyser.getByteTimeDomainData(samples);
      let peak = 0;
      for (const sample of samples) peak = Math.max(peak, Math.abs(sample - 128));
      take.levels.push(Math.min(255, peak * 2));
    };
  } catch {
    void context?.close().catch(() => undefined);
    context = undefined;
  }
  const take = {
    startedAt: performance.now(),
    levels: [] as number[],
    measure: () => measure(),
    stop: () => {
      for (const track of stream.getTracks()) {
        track.onended = null;
        track.stop();
      }
      if (recorder.state !== 'inactive') recorder.stop();
      void context?.close().catch(() => undefined);
      context = undefined;
      measure = () => undefined;
    },
    done,
  };
  // The time counts from when the recorder really started, not from when it was asked to.
  recorder.onstart = () => (take.startedAt = performance.now());
  return take;
}
