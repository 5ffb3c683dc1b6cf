// What the messages of the stored benches say (8 to 14 words each): the search index gets real
// words to insert, as in a host's chat. Used by latency-pg-2000's load (load.mjs) and pg-append-cost.mjs.
export const SENTENCES = [
  'can everyone hear me now or should I rejoin the call',
  'the slides for the quarterly review are in the shared folder',
  'I will be five minutes late, start without me please',
  'does anyone know why the deploy failed on staging this morning',
  'thanks for joining, we will send the recording after the session',
  'please mute your microphone when you are not speaking',
  'the next appointment is at half past three on Thursday',
  'could you share your screen again, it froze on my side',
  'great question, let me check with the team and come back to you',
  'lunch is ready in the kitchen for everyone on the third floor',
];
