import { counter } from './plural.js';
import type { LanguageTable } from './strings.js';

const number = new Intl.NumberFormat('ar');
const percentOf = new Intl.NumberFormat('ar', { style: 'percent' });
const list = new Intl.ListFormat('ar', { type: 'conjunction' });

const count = counter('ar');

/** "شخصان", "٥ أشخاص": people, standing alone. */
const people = (n: number): string =>
  count(n, { zero: 'لا أحد', one: 'شخص واحد', two: 'شخصان', few: '# أشخاص', many: '# شخصًا', other: '# شخص' });

/** "٣ أشخاص آخرون": the people a list of names leaves out. */
const others = (n: number): string =>
  count(n, { one: 'شخص آخر', two: 'شخصان آخران', few: '# أشخاص آخرون', many: '# شخصًا آخر', other: '# شخص آخر' });

/** "Ana وLuis وEva", "Ana وLuis و٣ أشخاص آخرون". */
const nameList = (names: string[]): string => list.format(names.length <= 3 ? names : [...names.slice(0, 2), others(names.length - 2)]);

/** Seconds, standing alone or after a preposition (where the dual is "ثانيتين"). */
const seconds = (n: number, afterPreposition = false): string =>
  count(n, {
    one: 'ثانية واحدة',
    two: afterPreposition ? 'ثانيتين' : 'ثانيتان',
    few: '# ثوانٍ',
    many: '# ثانية',
    other: '# ثانية',
  });

const minutes = (n: number): string => count(n, { one: 'دقيقة واحدة', two: 'دقيقتان', few: '# دقائق', many: '# دقيقة', other: '# دقيقة' });

/** Votes, standing alone. */
const votes = (n: number): string =>
  count(n, { zero: 'لا أصوات', one: 'صوت واحد', two: 'صوتان', few: '# أصوات', many: '# صوتًا', other: '# صوت' });

/** A guest name the server refused for its form (under the name field). */
const BAD_NAME = 'لا يمكن استخدام هذا الاسم: إما أنه فارغ أو طويل جدًا أو يحتوي على أحرف غير مسموح بها.';

/** العربية. */
export const ar: LanguageTable = {
  chatLabel: 'الدردشة',
  messagesLabel: 'الرسائل',
  composerLabel: 'الرسالة',
  composerPlaceholder: 'اكتب رسالة…',
  send: 'إرسال',
  membersCount: (n) => people(n),
  membersLabel: 'الموجودون هنا',
  showMembers: 'إظهار الموجودين هنا',
  hideMembers: 'إخفاء الموجودين هنا',
  typing: (names) => `${nameList(names)} ${names.length === 1 ? 'يكتب' : names.length === 2 ? 'يكتبان' : 'يكتبون'}…`,
  joined: (name) => `انضم ${name}`,
  left: (name) => `غادر ${name}`,
  newMessages: (n) =>
    count(n, {
      zero: 'لا رسائل جديدة',
      one: 'رسالة جديدة واحدة',
      two: 'رسالتان جديدتان',
      few: '# رسائل جديدة',
      many: '# رسالة جديدة',
      other: '# رسالة جديدة',
    }),
  latest: 'الانتقال إلى الأحدث',
  loadingOlder: 'جارٍ تحميل الرسائل الأقدم…',
  beginning: 'هذه بداية المحادثة.',
  sending: 'جارٍ الإرسال…',
  failed: 'لم يتم الإرسال.',
  retry: 'إعادة المحاولة',
  discard: 'تجاهل',
  offline: 'لا يوجد اتصال. ستُرسَل الرسائل عند عودة الاتصال.',
  connecting: 'جارٍ الاتصال…',
  ended: 'انتهت هذه الدردشة.',
  removed: 'لم يعد بإمكانك الوصول إلى هذه الغرفة.',
  signedOut: 'انتهت صلاحية تسجيل دخولك. سجّل الدخول مجددًا لمواصلة الدردشة.',
  gap: 'تعذّر تحميل بعض الرسائل.',
  historyReset: 'أُعيد ضبط سجل الدردشة على الخادم. لم تعد الرسائل السابقة متاحة.',
  you: 'أنت',
  attachment: 'مرفق',
  replyingTo: (quote) => `ردًّا على ${quote}`,
  earlierMessage: 'رسالة سابقة',
  namePrompt: 'اختر اسمًا للانضمام إلى الدردشة.',
  nameRefused: 'اختر اسمًا آخر للانضمام إلى الدردشة.',
  nameLabel: 'اسمك',
  join: 'انضمام',
  empty: 'لا توجد رسائل بعد. قل مرحبًا!',
  logHint: 'تنقّل بين الرسائل بمفاتيح الأسهم، واضغط Enter لعرض ما يمكنك فعله بالرسالة.',
  actionsLabel: 'إجراءات الرسالة',
  reply: 'رد',
  replyInThread: 'الرد في سلسلة رسائل',
  replyCount: (n) => count(n, { zero: 'لا ردود', one: 'رد واحد', two: 'ردّان', few: '# ردود', many: '# ردًّا', other: '# رد' }),
  react: 'تفاعل',
  edit: 'تعديل',
  delete: 'حذف',
  reactedBy: (names, more) => (!more ? nameList(names) : names.length ? list.format([...names, others(more)]) : people(more)),
  edited: 'معدّلة',
  deleted: 'تم حذف هذه الرسالة.',
  encrypted: 'مشفّرة بين الطرفين',
  undecryptable: 'يتعذّر فك تشفير هذه الرسالة على هذا الجهاز.',
  fingerprint: 'البصمة الأمنية (قارنها ببصمة الطرف الآخر)',
  deletedMessage: 'رسالة محذوفة',
  deletedUser: 'مستخدم محذوف',
  save: 'حفظ',
  cancel: 'إلغاء',
  replyingToLabel: (quote) => `الرد على ${quote}`,
  cancelReply: 'إلغاء الرد',
  originalMissing: 'لم تعد الرسالة الأصلية موجودة في السجل.',
  mentionsYou: 'تمت الإشارة إليك',
  today: 'اليوم',
  yesterday: 'أمس',
  online: 'متصل',
  away: 'بعيد',
  busy: 'مشغول',
  originRefused: () => 'الدردشة غير متاحة في هذه الصفحة.',
  attach: 'إرفاق ملفات',
  recordVoice: 'تسجيل رسالة صوتية',
  dropFiles: 'أفلِت الملفات لإرفاقها',
  waitForUploads: 'انتظر حتى يكتمل رفع الملفات، ثم أرسل.',
  viewImage: (name) => `عرض ${name}`,
  close: 'إغلاق',
  unreadDivider: 'رسائل جديدة',
  offlineStatus: 'غير متصل',
  lastSeen: (time) => `آخر ظهور ${time}`,
  privateChat: 'محادثة خاصة',
  backTo: (name) => `العودة إلى ${name}`,
  unread: (n) =>
    count(n, {
      zero: 'لا رسائل غير مقروءة',
      one: 'رسالة واحدة غير مقروءة',
      two: 'رسالتان غير مقروءتين',
      few: '# رسائل غير مقروءة',
      many: '# رسالة غير مقروءة',
      other: '# رسالة غير مقروءة',
    }),
  mentions: (n) => count(n, { zero: 'لا إشارات', one: 'إشارة واحدة', two: 'إشارتان', few: '# إشارات', many: '# إشارة', other: '# إشارة' }),
  notifications: 'الإشعارات',
  conversations: 'المحادثات',
  severalTyping: 'عدة أشخاص يكتبون…',
  botMark: 'بوت',
  botLabel: '(بوت)',
  callStartedLine: (name, video) => `بدأ ${name} ${video ? 'مكالمة فيديو' : 'مكالمة صوتية'}`,
  callEndedLine: (video, duration) => `${video ? 'انتهت مكالمة الفيديو' : 'انتهت المكالمة الصوتية'} · ${duration}`,
  missedCallLine: (name, video) => `${video ? 'مكالمة فيديو فائتة' : 'مكالمة صوتية فائتة'} من ${name}`,
  mutedUntil: (time) => `تم كتمك حتى الساعة ${time}`,
  mutedNow: 'تم كتمك',
  frozenRoom: 'يمكن للمشرفين فقط الكتابة في هذه الغرفة حاليًا',
  slowWait: (s) => `يمكنك الإرسال مجددًا بعد ${seconds(s, true)}`,
  kickedLine: (reason) => `أخرجك أحد المشرفين من هذه الغرفة.${reason ? ` السبب: ${reason}` : ''}`,
  bannedLine: (until, reason) => `أنت محظور من هذه الغرفة${until ? ` حتى ${until}` : ''}.${reason ? ` السبب: ${reason}` : ''}`,
  moderation: 'الإشراف',
  searchMessages: 'البحث في الرسائل',
  report: 'إبلاغ',
  reported: 'شكرًا لك: تم إبلاغ المضيفين.',
  onlyYou: 'أنت وحدك من يمكنه رؤية هذا',
  // Calls: in their chunk.
  audioCall: 'بدء مكالمة صوتية',
  videoCall: 'بدء مكالمة فيديو',
  callPerson: (name) => `الاتصال بـ${name}`,
  joinCall: 'الانضمام إلى المكالمة',
  incomingCall: (name, video) => `${name} يتصل بك (${video ? 'مكالمة فيديو' : 'مكالمة صوتية'})`,
  accept: 'قبول',
  decline: 'رفض',
  callLabel: (video) => (video ? 'مكالمة فيديو' : 'مكالمة صوتية'),
  calling: (names) => `جارٍ الاتصال بـ${names}…`,
  waiting: 'في انتظار انضمام الآخرين…',
  connectingMedia: 'جارٍ الاتصال…',
  mute: 'كتم الميكروفون',
  camera: 'إيقاف الكاميرا',
  hangUp: 'إنهاء المكالمة',
  joinedCall: (name) => `انضم ${name} إلى المكالمة`,
  leftCall: (name) => `غادر ${name} المكالمة`,
  callEnded: 'انتهت المكالمة.',
  missedCall: (name) => `مكالمة فائتة من ${name}`,
  callGoingOn: (names) => `هناك مكالمة جارية مع ${names}`,
  devicesFailed: (video, why) => {
    if (why === 'blocked')
      return video
        ? 'لم يسمح المتصفح باستخدام الميكروفون والكاميرا. اسمح بهما لهذه الصفحة لإجراء المكالمات.'
        : 'لم يسمح المتصفح باستخدام الميكروفون. اسمح به لهذه الصفحة لإجراء المكالمات.';
    if (why === 'missing') return video ? 'لم يتم العثور على ميكروفون وكاميرا في هذا الجهاز.' : 'لم يتم العثور على ميكروفون في هذا الجهاز.';
    return video ? 'تعذّر تشغيل الميكروفون والكاميرا. ربما يستخدمهما تطبيق آخر.' : 'تعذّر تشغيل الميكروفون. ربما يستخدمه تطبيق آخر.';
  },
  // <chat-inbox>: in their chunk.
  noConversations: 'لا توجد محادثات بعد.',
  // Encrypted rooms: in their chunk.
  fileOpening: (name) => `جارٍ فك تشفير ${name}…`,
  fileFailed: (name) => `يتعذّر فتح ${name} على هذا الجهاز: تعذّر تنزيله أو فك تشفيره.`,
  // Encrypted rooms: in their chunk.
  keyChanged: (name) => `تغيّر مفتاح الأمان الخاص بـ${name}.`,
  keyChangedSelf: 'تغيّر مفتاح الأمان الخاص بك: أصبح بإمكان جهاز جديد لك قراءة هذه الغرفة.',
  compareFingerprints: 'مقارنة البصمات',
  deviceRemoved:
    'أُزيل هذا الجهاز من المحادثات المشفّرة: لم يعد بإمكانه قراءة الرسائل الجديدة هنا أو إرسالها. أما أجهزتك الأخرى فما زال بإمكانها ذلك.',
  // Live reactions: in their chunk.
  liveReactionsLabel: 'تفاعلات مباشرة',
  sendLiveReaction: (emoji) => `التفاعل بـ${emoji}`,
  // What opens on a message: in their chunk.
  chooseReaction: 'اختر تفاعلًا',
  editLabel: 'تعديل الرسالة',
  editHint: 'اضغط Enter للحفظ أو Escape للإلغاء.',
  confirmDelete: 'هل تريد حذف هذه الرسالة لدى الجميع؟',
  reportReason: 'لماذا تُبلغ عن هذه الرسالة؟',
  // Moderation (what only moderators see): in their chunk.
  kick: 'إخراج من الغرفة',
  ban: 'حظر',
  unban: 'رفع الحظر',
  muteMember: 'كتم',
  unmuteMember: 'إلغاء الكتم',
  makeModerator: 'تعيين كمشرف',
  makeMember: 'تعيين كعضو',
  confirmAction: (action, name) => `${action}: ${name}؟`,
  duration: 'المدة',
  forHour: 'ساعة واحدة',
  forDay: 'يوم واحد',
  forEver: 'حتى يُرفع',
  reason: 'السبب',
  freeze: 'الكتابة للمشرفين فقط',
  slowMode: 'الوضع البطيء',
  slowOff: 'متوقف',
  everySeconds: (s) => (s < 60 ? seconds(s) : minutes(s / 60)),
  bannedHere: 'المحظورون',
  // The people panel and the notification levels: in their chunk.
  messagePrivately: 'إرسال رسالة خاصة',
  privateChats: 'المحادثات الخاصة',
  notifyAll: 'كل الرسائل',
  notifyMentions: 'الرسائل المباشرة والإشارات',
  notifyNone: 'لا شيء',
  enableNotifications: 'تفعيل الإشعارات',
  notificationsBlocked: 'يحظر هذا المتصفح الإشعارات من هذه الصفحة.',
  membersShown: (shown, total) => `يُعرض ${number.format(shown)} من أصل ${number.format(total)}`,
  moreMembers: 'عرض المزيد من الأشخاص',
  roleOwner: 'المالك',
  roleModerator: 'مشرف',
  mutedMark: 'مكتوم',
  // The @ and / suggestions: in their chunk.
  mentionsLabel: 'أشخاص للإشارة إليهم',
  commandsLabel: 'الأوامر',
  // Pins: in their chunk.
  pinnedLabel: 'الرسائل المثبّتة',
  pinnedCount: (n) =>
    count(n, {
      zero: 'لا رسائل مثبّتة',
      one: 'رسالة مثبّتة',
      two: 'رسالتان مثبّتتان',
      few: '# رسائل مثبّتة',
      many: '# رسالة مثبّتة',
      other: '# رسالة مثبّتة',
    }),
  goToPinned: 'الانتقال إلى الرسالة المثبّتة:',
  unpinMessage: (quote) => `إلغاء تثبيت: ${quote}`,
  pin: 'تثبيت',
  unpin: 'إلغاء التثبيت',
  // Polls: in their chunk.
  pollLegend: (multiple) => (multiple ? 'استطلاع: اختر إجابة واحدة أو أكثر' : 'استطلاع: اختر إجابة واحدة'),
  pollResult: (n, percent) => `${votes(n)}، ${percentOf.format(percent / 100)}`,
  pollTotal: (n) => (n === 0 ? 'لا أصوات بعد' : `${votes(n)} إجمالًا`),
  yourVote: 'صوتك',
  vote: 'تصويت',
  changeVote: 'تغيير التصويت',
  closePoll: 'إغلاق الاستطلاع',
  pollClosed: 'مُغلق',
  pollClosesAt: (time) => `يُغلق في ${time}`,
  pollAnonymousMark: 'تصويت سرّي',
  newPoll: 'استطلاع جديد',
  pollQuestion: 'السؤال',
  pollOption: (n) => `الخيار ${number.format(n)}`,
  pollOptions: 'الخيارات',
  addOption: 'إضافة خيار',
  removeOption: (n) => `إزالة الخيار ${number.format(n)}`,
  pollMultiple: 'السماح باختيار أكثر من إجابة',
  pollAnonymous: 'تصويت سرّي: لا يرى أحد مَن صوّت',
  postPoll: 'نشر الاستطلاع',
  // The Questions tab: in its chunk.
  questionsTab: (open) => (open ? `الأسئلة (${number.format(open)})` : 'الأسئلة'),
  questionsLabel: 'الأسئلة',
  closeQuestions: 'إغلاق الأسئلة',
  yourQuestion: 'سؤالك',
  ask: 'اسأل',
  questionEmpty: 'اكتب سؤالك أولًا.',
  noQuestions: 'لا توجد أسئلة بعد.',
  answeredQuestions: 'تمت الإجابة عنها',
  upvoteQuestion: (n) => `تأييد (${votes(n)})`,
  markAnswered: 'تعليم كمُجاب عنه',
  markUnanswered: 'تعليم كغير مُجاب عنه',
  hideQuestion: 'إخفاء',
  showQuestion: 'إظهار مجددًا',
  hiddenMark: 'مخفي',
  waitingForApproval: 'بانتظار الموافقة',
  awaitingMark: 'لا يراه الآخرون بعد',
  approveQuestion: 'قبول',
  rejectQuestion: 'رفض',
  sentForReview: 'أُرسل السؤال. سيظهر هنا بعد أن يوافق عليه أحد المشرفين.',
  moreQuestions: 'عرض المزيد من الأسئلة',
  moreQuestionsShown: (n) =>
    n
      ? count(n, {
          one: 'عُرض سؤال آخر.',
          two: 'عُرض سؤالان آخران.',
          few: 'عُرضت # أسئلة أخرى.',
          many: 'عُرض # سؤالًا آخر.',
          other: 'عُرض # سؤال آخر.',
        })
      : 'لا توجد أسئلة أخرى.',
  // Link previews: in their chunk.
  previewsLabel: 'معاينة الرابط',
  removePreview: 'إزالة المعاينة',
  // Voice messages: in their chunk.
  voiceMessage: 'رسالة صوتية',
  playVoice: 'تشغيل الرسالة الصوتية',
  pauseVoice: 'إيقاف مؤقت',
  voicePosition: 'الموضع',
  voiceAt: (at, duration) => `${at} من ${duration}`,
  recordingVoice: 'جارٍ تسجيل رسالة صوتية',
  sendRecording: 'إرسال الرسالة الصوتية',
  recordingStopped: 'توقف التسجيل. أرسله أو ألغِه.',
  micRefused: 'تعذّر استخدام الميكروفون. اسمح به لهذه الصفحة في متصفحك ثم حاول مرة أخرى.',
  // Notify me on this device: in their chunk.
  pushOn: 'تلقّي الإشعارات على هذا الجهاز',
  pushOff: 'إيقاف الإشعارات على هذا الجهاز',
  pushUnsupported: 'لا يمكن لهذا المتصفح إرسال إشعارات إليك عندما تكون الصفحة مغلقة.',
  pushDenied: 'لتلقّي الإشعارات على هذا الجهاز، اسمح بإشعارات هذا الموقع في إعدادات المتصفح.',
  pushFailed: 'تعذّر تفعيل الإشعارات على هذا الجهاز. حاول مرة أخرى لاحقًا.',
  pushUnavailable: 'لا يمكن لنافذة المتصفح هذه تلقّي الإشعارات (نافذة خاصة مثلًا). جرّب في نافذة عادية.',
  pushWorking: 'جارٍ تفعيل الإشعارات…',
  pushSlow: 'لم تستجب أي خدمة إشعارات لهذا المتصفح. تحقّق من الاتصال وحاول مرة أخرى.',
  // Search: in their chunk.
  searchLabel: 'البحث في هذه المحادثة',
  searchAllLabel: 'البحث في كل المحادثات',
  searchScope: 'مكان البحث',
  searchHere: 'هذه المحادثة',
  searchAll: 'كل المحادثات',
  searchGo: 'بحث',
  searching: 'جارٍ البحث…',
  searchFound: (n, more) =>
    `تم العثور على ${count(n, { one: 'رسالة واحدة', two: 'رسالتين', few: '# رسائل', many: '# رسالة', other: '# رسالة' })}${
      more ? ' أو أكثر' : ''
    }. اختر رسالة للانتقال إليها.`,
  searchNone: 'لم يتم العثور على أي رسالة.',
  searchMore: 'المزيد من النتائج',
  // Threads: in their chunk.
  threadTitle: 'سلسلة الرسائل',
  closeThread: 'إغلاق سلسلة الرسائل',
  threadReplies: 'الردود',
  noReplies: 'لا توجد ردود بعد. ابدأ سلسلة الرسائل.',
  noRepliesClosed: 'لا توجد ردود بعد.',
  olderReplies: 'عرض الردود الأقدم',
  threadComposer: 'الرد في سلسلة الرسائل',
  threadOpened: (name) => `تم فتح سلسلة الرسائل على رسالة ${name}`,
  // The next message's files: in their chunk.
  filesLabel: 'ملفات للإرسال',
  uploading: (name) => `جارٍ رفع ${name}`,
  removeFile: (name) => `إزالة ${name}`,
  errors: {
    lang: 'ar',
    name: { UNAUTHENTICATED: BAD_NAME, VALIDATION_FAILED: BAD_NAME },
    file: {
      PAYLOAD_TOO_LARGE: 'هذا الملف أكبر من الحجم المسموح برفعه هنا.',
      VALIDATION_FAILED: 'لا يمكن رفع هذا النوع من الملفات هنا.',
    },
    UNAUTHENTICATED: 'تعذّر التحقق من هويتك. سجّل الدخول مجددًا.',
    FORBIDDEN: 'ليس لديك إذن بتنفيذ هذا الإجراء.',
    VALIDATION_FAILED: 'رفض الخادم الطلب: هناك شيء ناقص أو طويل جدًا أو يحتوي على أحرف غير مسموح بها.',
    PAYLOAD_TOO_LARGE: 'الحجم كبير جدًا: النص أو المرفقات أو الإشارات تتجاوز الحد المسموح به.',
    RATE_LIMITED: 'هناك طلبات كثيرة جدًا الآن. انتظر قليلًا ثم حاول مرة أخرى.',
    ROOM_NOT_FOUND: 'هذه الغرفة غير موجودة.',
    ROOM_ENDED: 'انتهت هذه الدردشة.',
    ROOM_EXISTS: 'توجد غرفة بهذا المعرّف بالفعل.',
    NOT_IN_ROOM: 'أنت لست في هذه الغرفة.',
    ALREADY_IN_ROOM: 'أنت في هذه الغرفة بالفعل.',
    NAME_TAKEN: 'هناك شخص في هذه الغرفة يستخدم هذا الاسم بالفعل.',
    MESSAGE_NOT_FOUND: 'لم تعد هذه الرسالة موجودة.',
    BANNED: 'أنت محظور من هذه الغرفة.',
    MUTED: 'تم كتمك في هذه الغرفة: يمكنك القراءة، لكن لا يمكنك الكتابة أو التفاعل.',
    CALL_NOT_FOUND: 'لم تعد هذه المكالمة جارية.',
    POLL_CLOSED: 'هذا الاستطلاع مُغلق: لم يعد يقبل أصواتًا.',
    E2EE_STALE_EPOCH: 'تغيّر تشفير هذه الغرفة للتو. حاول مرة أخرى بعد لحظات.',
    E2EE_DEVICE_REMOVED: 'أُزيل هذا الجهاز من المحادثات المشفّرة: لم يعد بإمكانه إرسال رسائل جديدة فيها أو قراءتها.',
    TIMEOUT: 'لم يستجب الخادم في الوقت المحدد. يمكنك المحاولة مرة أخرى.',
    INTERNAL: 'حدث خطأ ما. حاول مرة أخرى لاحقًا.',
  },
};
