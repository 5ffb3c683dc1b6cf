import { listNames, type LanguageTable } from './strings.js';

/** A guest name the server refused for its form (under the name field). */
const BAD_NAME = 'אי אפשר להשתמש בשם הזה: הוא ריק, ארוך מדי או מכיל תווים אסורים.';

const rules = new Intl.PluralRules('he');
const number = new Intl.NumberFormat('he');
const percentage = new Intl.NumberFormat('he', { style: 'percent', maximumFractionDigits: 0 });
/** A number as Hebrew writes it. */
const num = (n: number): string => number.format(n);
/** The form for `n` by the language's plural rules (one, two, other), `#` replaced by the number as the language writes it. */
const count = (n: number, forms: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }): string =>
  (forms[rules.select(n)] ?? forms.other).replace('#', num(n));

/** "Ana", "Ana ו-Luis", "Ana, Luis ו-Eva", "Ana, Luis ועוד 3": "ו" takes a hyphen before a name, which may be in Latin letters. */
const list = (names: string[]): string =>
  names.length > 3
    ? `${names.slice(0, 2).join(', ')} ועוד ${num(names.length - 2)}`
    : names.length > 1
      ? `${names.slice(0, -1).join(', ')} ו-${names.at(-1) ?? ''}`
      : listNames(names, 'ו', (n) => `עוד ${num(n)}`);

/** עברית. */
export const he: LanguageTable = {
  chatLabel: 'צ׳אט',
  messagesLabel: 'הודעות',
  composerLabel: 'הודעה',
  composerPlaceholder: 'כתיבת הודעה…',
  send: 'שליחה',
  membersCount: (n) => count(n, { one: 'אדם אחד', two: 'שני אנשים', other: '# אנשים' }),
  membersLabel: 'הנוכחים כאן',
  showMembers: 'הצגת הנוכחים',
  hideMembers: 'הסתרת הנוכחים',
  typing: (names) => `${list(names)} ${names.length === 1 ? 'מקליד/ה' : 'מקלידים'}…`,
  joined: (name) => `${name} הצטרף/ה`,
  left: (name) => `${name} יצא/ה`,
  newMessages: (n) => count(n, { one: 'הודעה חדשה אחת', two: 'שתי הודעות חדשות', other: '# הודעות חדשות' }),
  latest: 'מעבר להודעות האחרונות',
  loadingOlder: 'טעינת הודעות קודמות…',
  beginning: 'זו תחילת השיחה.',
  sending: 'בשליחה…',
  failed: 'לא נשלחה.',
  retry: 'ניסיון חוזר',
  discard: 'הסרה',
  offline: 'אין חיבור. ההודעות יישלחו כשהחיבור יחזור.',
  connecting: 'מתבצע חיבור…',
  ended: 'הצ׳אט הזה הסתיים.',
  removed: 'אין לך יותר גישה לחדר הזה.',
  signedOut: 'תוקף ההתחברות שלך פג. יש להתחבר שוב כדי להמשיך בצ׳אט.',
  gap: 'לא ניתן היה לטעון חלק מההודעות.',
  historyReset: 'היסטוריית הצ׳אט אופסה בשרת. ההודעות הקודמות כבר לא זמינות.',
  you: 'את/ה',
  attachment: 'קובץ מצורף',
  replyingTo: (quote) => `בתשובה ל-${quote}`,
  earlierMessage: 'הודעה קודמת',
  namePrompt: 'יש לבחור שם כדי להצטרף לצ׳אט.',
  nameRefused: 'יש לבחור שם אחר כדי להצטרף לצ׳אט.',
  nameLabel: 'השם שלך',
  join: 'הצטרפות',
  empty: 'עוד אין הודעות. זה הזמן להגיד שלום!',
  logHint: 'מקשי החיצים עוברים בין ההודעות; Enter מציג מה אפשר לעשות עם הודעה.',
  actionsLabel: 'פעולות על ההודעה',
  reply: 'תשובה',
  replyInThread: 'תשובה בשרשור',
  replyCount: (n) => count(n, { one: 'תשובה אחת', two: 'שתי תשובות', other: '# תשובות' }),
  react: 'תגובה באמוג׳י',
  edit: 'עריכה',
  delete: 'מחיקה',
  reactedBy: (names, more) =>
    !more
      ? list(names)
      : names.length
        ? `${names.join(', ')} ועוד ${num(more)}`
        : count(more, { one: 'אדם אחד', two: 'שני אנשים', other: '# אנשים' }),
  edited: 'נערכה',
  deleted: 'ההודעה הזו נמחקה.',
  encrypted: 'הצפנה מקצה לקצה',
  undecryptable: 'אי אפשר לפענח את ההודעה הזו במכשיר הזה.',
  fingerprint: 'טביעת אצבע לאבטחה (יש להשוות אותה לזו שאצל הצד השני)',
  deletedMessage: 'הודעה שנמחקה',
  save: 'שמירה',
  cancel: 'ביטול',
  replyingToLabel: (quote) => `תשובה ל-${quote}`,
  cancelReply: 'ביטול התשובה',
  originalMissing: 'ההודעה המקורית כבר לא נמצאת בהיסטוריה.',
  mentionsYou: 'מאזכרת אותך',
  today: 'היום',
  yesterday: 'אתמול',
  online: 'מחובר/ת',
  away: 'לא בסביבה',
  busy: 'עסוק/ה',
  originRefused: () => 'הצ׳אט לא זמין בדף הזה.',
  attach: 'צירוף קבצים',
  dropFiles: 'אפשר לשחרר כאן את הקבצים כדי לצרף אותם',
  waitForUploads: 'יש להמתין לסיום העלאת הקבצים ורק אז לשלוח.',
  viewImage: (name) => `הצגת ${name}`,
  close: 'סגירה',
  unreadDivider: 'הודעות חדשות',
  offlineStatus: 'לא מחובר/ת',
  lastSeen: (time) => `נראה/תה לאחרונה ${time}`,
  privateChat: 'שיחה פרטית',
  backTo: (name) => `חזרה אל ${name}`,
  unread: (n) => count(n, { one: 'הודעה אחת שלא נקראה', two: 'שתי הודעות שלא נקראו', other: '# הודעות שלא נקראו' }),
  mentions: (n) => count(n, { one: 'אזכור אחד', two: 'שני אזכורים', other: '# אזכורים' }),
  notifications: 'התראות',
  conversations: 'שיחות',
  severalTyping: 'כמה אנשים מקלידים…',
  botMark: 'בוט',
  botLabel: '(בוט)',
  callStartedLine: (name, video) => `${name} התחיל/ה ${video ? 'שיחת וידאו' : 'שיחה קולית'}`,
  callEndedLine: (video, duration) => `${video ? 'שיחת הווידאו' : 'השיחה הקולית'} הסתיימה · ${duration}`,
  missedCallLine: (name, video) => `${video ? 'שיחת וידאו' : 'שיחה קולית'} שלא נענתה מאת ${name}`,
  mutedUntil: (time) => `הושתקת עד ${time}`,
  mutedNow: 'הושתקת',
  frozenRoom: 'כרגע רק מנחים יכולים לכתוב בחדר הזה',
  slowWait: (s) => `אפשר יהיה לשלוח שוב בעוד ${count(s, { one: 'שנייה אחת', two: 'שתי שניות', other: '# שניות' })}`,
  kickedLine: (reason) => `מנחה הוציא/ה אותך מהחדר הזה.${reason ? ` סיבה: ${reason}` : ''}`,
  bannedLine: (until, reason) => `הכניסה שלך לחדר הזה חסומה${until ? ` עד ${until}` : ''}.${reason ? ` סיבה: ${reason}` : ''}`,
  moderation: 'ניהול',
  searchMessages: 'חיפוש הודעות',
  report: 'דיווח',
  reported: 'תודה, הדיווח נשלח למארחים.',
  onlyYou: 'גלוי רק לך',
  // Calls: in their chunk.
  audioCall: 'התחלת שיחה קולית',
  videoCall: 'התחלת שיחת וידאו',
  callPerson: (name) => `התקשרות אל ${name}`,
  joinCall: 'הצטרפות לשיחה',
  incomingCall: (name, video) => `${name} מתקשר/ת אליך (${video ? 'שיחת וידאו' : 'שיחה קולית'})`,
  accept: 'מענה',
  decline: 'דחייה',
  callLabel: (video) => (video ? 'שיחת וידאו' : 'שיחה קולית'),
  calling: (names) => `מתבצע חיוג אל ${names}…`,
  waiting: 'בהמתנה להצטרפות של משתתפים נוספים…',
  connectingMedia: 'מתבצע חיבור…',
  mute: 'השתקת המיקרופון',
  camera: 'כיבוי המצלמה',
  hangUp: 'ניתוק',
  joinedCall: (name) => `${name} הצטרף/ה לשיחה`,
  leftCall: (name) => `${name} יצא/ה מהשיחה`,
  callEnded: 'השיחה הסתיימה.',
  missedCall: (name) => `שיחה שלא נענתה מאת ${name}`,
  callGoingOn: (names) => `מתקיימת שיחה עם ${names}`,
  devicesFailed: (video, why) => {
    if (why === 'blocked') return `הדפדפן לא אישר שימוש ${video ? 'במיקרופון ובמצלמה' : 'במיקרופון'}: כדי להתקשר, יש לאשר זאת בדף הזה.`;
    return why === 'missing'
      ? `${video ? 'לא נמצאו מיקרופון ומצלמה' : 'לא נמצא מיקרופון'} במכשיר הזה.`
      : `אי אפשר להפעיל את ${video ? 'המיקרופון והמצלמה' : 'המיקרופון'}: ייתכן שאפליקציה אחרת משתמשת ${video ? 'בהם' : 'בו'}.`;
  },
  // <chat-inbox>: in their chunk.
  noConversations: 'עוד אין שיחות.',
  // Encrypted rooms: in their chunk.
  fileOpening: (name) => `מתבצע פענוח של ${name}…`,
  fileFailed: (name) => `אי אפשר לפתוח את ${name} במכשיר הזה: לא ניתן היה להוריד או לפענח אותו.`,
  // Encrypted rooms: in their chunk.
  keyChanged: (name) => `מפתח האבטחה של ${name} השתנה.`,
  keyChangedSelf: 'מפתח האבטחה שלך השתנה: מכשיר חדש שלך יכול לקרוא את החדר הזה.',
  compareFingerprints: 'השוואת טביעות אצבע',
  deviceRemoved: 'המכשיר הזה הוסר מהשיחות המוצפנות: הוא כבר לא יכול לקרוא או לשלוח כאן הודעות חדשות. המכשירים האחרים שלך עדיין יכולים.',
  // Live reactions: in their chunk.
  liveReactionsLabel: 'תגובות בשידור חי',
  sendLiveReaction: (emoji) => `תגובה עם ${emoji}`,
  // What opens on a message: in their chunk.
  chooseReaction: 'בחירת תגובה',
  editLabel: 'עריכת הודעה',
  editHint: 'Enter לשמירה, Escape לביטול.',
  confirmDelete: 'למחוק את ההודעה הזו אצל כולם?',
  reportReason: 'מה הסיבה לדיווח על ההודעה הזו?',
  // Moderation (what only moderators see): in their chunk.
  kick: 'הוצאה מהחדר',
  ban: 'חסימה',
  unban: 'ביטול החסימה',
  muteMember: 'השתקה',
  unmuteMember: 'ביטול ההשתקה',
  makeModerator: 'מינוי למנחה',
  makeMember: 'הסרת הרשאות מנחה',
  confirmAction: (action, name) => `${action}: ${name}?`,
  duration: 'לכמה זמן',
  forHour: 'שעה אחת',
  forDay: 'יום אחד',
  forEver: 'עד לביטול',
  reason: 'סיבה',
  freeze: 'רק מנחים יכולים לכתוב',
  slowMode: 'מצב איטי',
  slowOff: 'כבוי',
  everySeconds: (s) => (s < 60 ? `${num(s)} שנ׳` : `${num(s / 60)} דק׳`),
  bannedHere: 'חסומים',
  // The people panel and the notification levels: in their chunk.
  messagePrivately: 'שליחת הודעה פרטית',
  privateChats: 'שיחות פרטיות',
  notifyAll: 'כל ההודעות',
  notifyMentions: 'הודעות ישירות ואזכורים',
  notifyNone: 'בלי התראות',
  enableNotifications: 'הפעלת התראות',
  notificationsBlocked: 'הדפדפן הזה חוסם התראות מהדף הזה.',
  membersShown: (shown, total) => `מוצגים ${num(shown)} מתוך ${num(total)}`,
  moreMembers: 'הצגת אנשים נוספים',
  roleOwner: 'בעלים',
  roleModerator: 'מנחה',
  mutedMark: 'בהשתקה',
  // The @ and / suggestions: in their chunk.
  mentionsLabel: 'אנשים לאזכור',
  commandsLabel: 'פקודות',
  // Pins: in their chunk.
  pinnedLabel: 'הודעות מוצמדות',
  pinnedCount: (n) => count(n, { one: 'הודעה מוצמדת אחת', two: 'שתי הודעות מוצמדות', other: '# הודעות מוצמדות' }),
  goToPinned: 'מעבר להודעה המוצמדת:',
  unpinMessage: (quote) => `ביטול ההצמדה: ${quote}`,
  pin: 'הצמדה',
  unpin: 'ביטול הצמדה',
  // Polls: in their chunk.
  pollLegend: (multiple) => (multiple ? 'סקר: אפשר לבחור אפשרות אחת או יותר' : 'סקר: יש לבחור אפשרות אחת'),
  pollResult: (votes, percent) =>
    `${count(votes, { one: 'הצבעה אחת', two: 'שתי הצבעות', other: '# הצבעות' })}, ${percentage.format(percent / 100)}`,
  pollTotal: (votes) => count(votes, { one: 'הצבעה אחת בסך הכול', two: 'שתי הצבעות בסך הכול', other: '# הצבעות בסך הכול' }),
  yourVote: 'ההצבעה שלך',
  vote: 'הצבעה',
  changeVote: 'שינוי ההצבעה',
  closePoll: 'סגירת הסקר',
  pollClosed: 'סגור',
  pollClosesAt: (time) => `מועד הסגירה: ${time}`,
  pollAnonymousMark: 'אנונימי',
  newPoll: 'סקר חדש',
  pollQuestion: 'שאלה',
  pollOption: (n) => `אפשרות ${num(n)}`,
  pollOptions: 'אפשרויות',
  addOption: 'הוספת אפשרות',
  removeOption: (n) => `הסרת אפשרות ${num(n)}`,
  pollMultiple: 'לאפשר יותר מתשובה אחת',
  pollAnonymous: 'אנונימי: אף אחד לא רואה מי הצביע',
  postPoll: 'פרסום הסקר',
  // Link previews: in their chunk.
  previewsLabel: 'תצוגה מקדימה של הקישור',
  removePreview: 'הסרת התצוגה המקדימה',
  // Notify me on this device: in their chunk.
  pushOn: 'קבלת התראות במכשיר הזה',
  pushOff: 'הפסקת ההתראות במכשיר הזה',
  pushUnsupported: 'הדפדפן הזה לא יכול לשלוח לך התראות כשהדף סגור.',
  pushDenied: 'כדי לקבל התראות במכשיר הזה, יש לאפשר התראות מהאתר הזה בהגדרות הדפדפן.',
  pushFailed: 'לא ניתן היה להפעיל התראות במכשיר הזה. אפשר לנסות שוב מאוחר יותר.',
  // Search: in their chunk.
  searchLabel: 'חיפוש בשיחה הזו',
  searchAllLabel: 'חיפוש בכל השיחות',
  searchScope: 'איפה לחפש',
  searchHere: 'השיחה הזו',
  searchAll: 'כל השיחות',
  searchGo: 'חיפוש',
  searching: 'מתבצע חיפוש…',
  searchFound: (n, more) =>
    `${
      more
        ? count(n, { one: 'נמצאה לפחות הודעה אחת', two: 'נמצאו לפחות שתי הודעות', other: 'נמצאו לפחות # הודעות' })
        : count(n, { one: 'נמצאה הודעה אחת', two: 'נמצאו שתי הודעות', other: 'נמצאו # הודעות' })
    }. אפשר לבחור הודעה כדי לעבור אליה.`,
  searchNone: 'לא נמצאו הודעות.',
  searchMore: 'תוצאות נוספות',
  // Threads: in their chunk.
  threadTitle: 'שרשור',
  closeThread: 'סגירת השרשור',
  threadReplies: 'תשובות',
  noReplies: 'עוד אין תשובות. אפשר להתחיל את השרשור.',
  noRepliesClosed: 'עוד אין תשובות.',
  olderReplies: 'הצגת תשובות קודמות',
  threadComposer: 'תשובה בשרשור',
  threadOpened: (name) => `נפתח השרשור של ההודעה מאת ${name}`,
  // The next message's files: in their chunk.
  filesLabel: 'קבצים לשליחה',
  uploading: (name) => `העלאת ${name}`,
  removeFile: (name) => `הסרת ${name}`,
  errors: {
    lang: 'he',
    name: { UNAUTHENTICATED: BAD_NAME, VALIDATION_FAILED: BAD_NAME },
    file: {
      PAYLOAD_TOO_LARGE: 'הקובץ הזה גדול מהגודל שמותר להעלות כאן.',
      VALIDATION_FAILED: 'אי אפשר להעלות לכאן קבצים מהסוג הזה.',
    },
    UNAUTHENTICATED: 'לא ניתן היה לאמת את הזהות שלך. יש להתחבר שוב.',
    FORBIDDEN: 'אין לך הרשאה לעשות את זה.',
    VALIDATION_FAILED: 'השרת לא קיבל את זה: משהו חסר, ארוך מדי או מכיל תווים אסורים.',
    PAYLOAD_TOO_LARGE: 'זה גדול מדי: הטקסט, הקבצים המצורפים או האזכורים חורגים מהמגבלה.',
    RATE_LIMITED: 'יש כרגע יותר מדי בקשות. כדאי לחכות רגע ולנסות שוב.',
    ROOM_NOT_FOUND: 'החדר הזה לא קיים.',
    ROOM_ENDED: 'הצ׳אט הזה הסתיים.',
    ROOM_EXISTS: 'כבר קיים חדר עם המזהה הזה.',
    NOT_IN_ROOM: 'לא הצטרפת לחדר הזה.',
    ALREADY_IN_ROOM: 'כבר הצטרפת לחדר הזה.',
    NAME_TAKEN: 'מישהו בחדר הזה כבר משתמש בשם הזה.',
    MESSAGE_NOT_FOUND: 'ההודעה הזו כבר לא קיימת.',
    BANNED: 'הכניסה שלך לחדר הזה חסומה.',
    MUTED: 'הושתקת בחדר הזה: אפשר לקרוא, אבל לא לכתוב או להגיב.',
    CALL_NOT_FOUND: 'השיחה הזו כבר לא מתקיימת.',
    POLL_CLOSED: 'הסקר הזה סגור: אי אפשר להצביע בו יותר.',
    E2EE_STALE_EPOCH: 'ההצפנה של החדר הזה השתנתה זה עתה. אפשר לנסות שוב בעוד רגע.',
    E2EE_DEVICE_REMOVED: 'המכשיר הזה הוסר מהשיחות המוצפנות: הוא כבר לא יכול לשלוח או לקרוא בהן הודעות חדשות.',
    TIMEOUT: 'השרת לא ענה בזמן. אפשר לנסות שוב.',
    INTERNAL: 'משהו השתבש. כדאי לנסות שוב מאוחר יותר.',
  },
};
