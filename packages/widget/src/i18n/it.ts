import { counter } from './plural.js';
import { listNames, type LanguageTable } from './strings.js';

const number = new Intl.NumberFormat('it');
const percentage = new Intl.NumberFormat('it', { style: 'percent' });
const count = counter('it');
/** "altri 3": the others after the first names. */
const others = (n: number): string => count(n, { one: 'un altro', other: 'altri #' });
/** A time of today ("10:30") rather than a date with its time ("1 gen, 10:30"). */
const isClock = (time: string): boolean => /^\d{1,2}[:.]\d{2}$/u.test(time.trim());
/** The day or hour that takes "l'" (l'1, l'8, l'11; all'1:30), not "il"/"le". */
const elided = (time: string): boolean => (isClock(time) ? /^0?1[:.]/u : /^(?:1|8|11)\D/u).test(time.trim());
/** "alle 10:30", "il 29 nov, 10:30". */
const at = (time: string): string =>
  isClock(time) ? (elided(time) ? `all'${time}` : `alle ${time}`) : elided(time) ? `l'${time}` : `il ${time}`;
/** "fino alle 10:30", "fino al 29 nov, 10:30". */
const until = (time: string): string => `fino ${elided(time) ? `all'${time}` : isClock(time) ? `alle ${time}` : `al ${time}`}`;

/** A guest name the server refused for its form (under the name field). */
const BAD_NAME = 'Questo nome non si può usare: è vuoto, troppo lungo o contiene caratteri non consentiti.';

/** Italiano. */
export const it: LanguageTable = {
  chatLabel: 'Chat',
  messagesLabel: 'Messaggi',
  composerLabel: 'Messaggio',
  composerPlaceholder: 'Scrivi un messaggio…',
  send: 'Invia',
  membersCount: (n) => count(n, { one: '# persona', many: '# di persone', other: '# persone' }),
  membersLabel: 'Persone presenti',
  showMembers: 'Mostra le persone presenti',
  hideMembers: 'Nascondi le persone presenti',
  typing: (names) => `${listNames(names, 'e', others)} ${names.length === 1 ? 'sta' : 'stanno'} scrivendo…`,
  joined: (name) => `${name} ha raggiunto la stanza`,
  left: (name) => `${name} ha lasciato la stanza`,
  newMessages: (n) => count(n, { one: '# nuovo messaggio', many: '# di nuovi messaggi', other: '# nuovi messaggi' }),
  latest: 'Vai agli ultimi messaggi',
  loadingOlder: 'Caricamento dei messaggi precedenti…',
  beginning: "Questo è l'inizio della conversazione.",
  sending: 'Invio in corso…',
  failed: 'Non inviato.',
  retry: 'Riprova',
  discard: 'Scarta',
  offline: 'Sei offline. I messaggi verranno inviati quando tornerà la connessione.',
  connecting: 'Connessione in corso…',
  ended: 'Questa chat è terminata.',
  removed: 'Non hai più accesso a questa stanza.',
  signedOut: 'La sessione è scaduta. Accedi di nuovo per continuare a chattare.',
  gap: 'Non è stato possibile caricare alcuni messaggi.',
  historyReset: 'La cronologia della chat è stata reimpostata sul server. I messaggi precedenti non sono più disponibili.',
  you: 'Tu',
  attachment: 'Allegato',
  replyingTo: (quote) => `in risposta a ${quote}`,
  earlierMessage: 'un messaggio precedente',
  namePrompt: 'Scegli un nome per entrare nella chat.',
  nameRefused: 'Scegli un altro nome per entrare nella chat.',
  nameLabel: 'Il tuo nome',
  join: 'Entra',
  empty: 'Ancora nessun messaggio. Saluta!',
  logHint: 'Usa le frecce per spostarti tra i messaggi; Invio mostra cosa puoi fare con un messaggio.',
  actionsLabel: 'Azioni sul messaggio',
  reply: 'Rispondi',
  replyInThread: 'Rispondi nel thread',
  replyCount: (n) => count(n, { one: '# risposta', many: '# di risposte', other: '# risposte' }),
  react: 'Reagisci',
  edit: 'Modifica',
  delete: 'Elimina',
  reactedBy: (names, more) =>
    !more
      ? listNames(names, 'e', others)
      : names.length
        ? `${names.join(', ')} e ${others(more)}`
        : count(more, { one: '# persona', many: '# di persone', other: '# persone' }),
  edited: 'modificato',
  deleted: 'Questo messaggio è stato eliminato.',
  encrypted: 'Crittografia end-to-end',
  undecryptable: 'Questo messaggio non può essere decifrato su questo dispositivo.',
  fingerprint: 'Impronta di sicurezza (confrontala con la sua)',
  deletedMessage: 'un messaggio eliminato',
  deletedUser: 'Utente eliminato',
  save: 'Salva',
  cancel: 'Annulla',
  replyingToLabel: (quote) => `Stai rispondendo a ${quote}`,
  cancelReply: 'Annulla risposta',
  originalMissing: 'Il messaggio originale non è più nella cronologia.',
  mentionsYou: 'Ti menziona',
  today: 'Oggi',
  yesterday: 'Ieri',
  online: 'Online',
  away: 'Assente',
  busy: 'Occupato',
  originRefused: () => 'La chat non è disponibile su questa pagina.',
  attach: 'Allega file',
  recordVoice: 'Registra un messaggio vocale',
  dropFiles: 'Rilascia i file per allegarli',
  waitForUploads: 'Attendi il caricamento dei file, poi invia.',
  viewImage: (name) => `Visualizza ${name}`,
  close: 'Chiudi',
  unreadDivider: 'Nuovi messaggi',
  offlineStatus: 'Offline',
  lastSeen: (time) => `Ultimo accesso ${at(time)}`,
  privateChat: 'Conversazione privata',
  backTo: (name) => `Torna a ${name}`,
  unread: (n) => count(n, { one: '# non letto', many: '# di non letti', other: '# non letti' }),
  mentions: (n) => count(n, { one: '# menzione', many: '# di menzioni', other: '# menzioni' }),
  notifications: 'Notifiche',
  conversations: 'Conversazioni',
  severalTyping: 'Più persone stanno scrivendo…',
  botMark: 'BOT',
  botLabel: '(bot)',
  callStartedLine: (name, video) => `${name} ha avviato una ${video ? 'videochiamata' : 'chiamata vocale'}`,
  callEndedLine: (video, duration) => `${video ? 'Videochiamata terminata' : 'Chiamata vocale terminata'} · ${duration}`,
  missedCallLine: (name, video) => `${video ? 'Videochiamata persa' : 'Chiamata vocale persa'} da ${name}`,
  mutedUntil: (time) => `Un moderatore ti ha silenziato ${until(time)}`,
  mutedNow: 'Un moderatore ti ha silenziato',
  frozenRoom: 'Al momento solo i moderatori possono scrivere in questa stanza',
  slowWait: (s) => `Potrai inviare di nuovo tra ${number.format(s)} s`,
  kickedLine: (reason) => `Un moderatore ti ha rimosso da questa stanza.${reason ? ` Motivo: ${reason}` : ''}`,
  bannedLine: (time, reason) =>
    `Ti è stato vietato l'accesso a questa stanza${time ? ` ${until(time)}` : ''}.${reason ? ` Motivo: ${reason}` : ''}`,
  moderation: 'Moderazione',
  searchMessages: 'Cerca messaggi',
  report: 'Segnala',
  reported: 'Grazie: gli organizzatori sono stati avvisati.',
  onlyYou: 'Visibile solo a te',
  // Calls: in their chunk.
  audioCall: 'Avvia una chiamata vocale',
  videoCall: 'Avvia una videochiamata',
  callPerson: (name) => `Chiama ${name}`,
  joinCall: 'Partecipa alla chiamata',
  incomingCall: (name, video) => `${name} ti sta chiamando (${video ? 'videochiamata' : 'chiamata vocale'})`,
  accept: 'Accetta',
  decline: 'Rifiuta',
  callLabel: (video) => (video ? 'Videochiamata' : 'Chiamata vocale'),
  calling: (names) => `In attesa di risposta da ${names}…`,
  waiting: 'In attesa di altri partecipanti…',
  connectingMedia: 'Connessione…',
  mute: 'Disattiva microfono',
  camera: 'Disattiva videocamera',
  hangUp: 'Riaggancia',
  joinedCall: (name) => `${name} ha raggiunto la chiamata`,
  leftCall: (name) => `${name} ha lasciato la chiamata`,
  callEnded: 'La chiamata è terminata.',
  missedCall: (name) => `Chiamata persa da ${name}`,
  callGoingOn: (names) => `È in corso una chiamata con ${names}`,
  devicesFailed: (video, why) => {
    if (why === 'blocked')
      return `Il browser non ha consentito l'uso ${video ? 'del microfono e della videocamera' : 'del microfono'}: consentilo per questa pagina per poter chiamare.`;
    return why === 'missing'
      ? `${video ? 'Microfono e videocamera non trovati' : 'Microfono non trovato'} su questo dispositivo.`
      : `Impossibile avviare ${video ? 'il microfono e la videocamera' : 'il microfono'}: forse ${video ? 'li sta usando' : 'lo sta usando'} un'altra applicazione.`;
  },
  // <chat-inbox>: in their chunk.
  noConversations: 'Ancora nessuna conversazione.',
  // Encrypted rooms: in their chunk.
  fileOpening: (name) => `Decifratura di ${name}…`,
  fileFailed: (name) => `Impossibile aprire ${name} su questo dispositivo: non è stato possibile scaricarlo o decifrarlo.`,
  // Encrypted rooms: in their chunk.
  keyChanged: (name) => `La chiave di sicurezza di ${name} è cambiata.`,
  keyChangedSelf: 'La tua chiave di sicurezza è cambiata: un tuo nuovo dispositivo può leggere questa stanza.',
  compareFingerprints: 'Confronta le impronte',
  deviceRemoved:
    'Questo dispositivo è stato rimosso dalle conversazioni crittografate: non può più leggere né inviare nuovi messaggi qui. Gli altri tuoi dispositivi invece possono ancora farlo.',
  // Live reactions: in their chunk.
  liveReactionsLabel: 'Reazioni in diretta',
  sendLiveReaction: (emoji) => `Reagisci con ${emoji}`,
  // What opens on a message: in their chunk.
  chooseReaction: 'Scegli una reazione',
  editLabel: 'Modifica messaggio',
  editHint: 'Invio per salvare, Esc per annullare.',
  confirmDelete: 'Eliminare questo messaggio per tutti?',
  reportReason: 'Perché segnali questo messaggio?',
  // Moderation (what only moderators see): in their chunk.
  kick: 'Rimuovi dalla stanza',
  ban: 'Banna',
  unban: 'Revoca il ban',
  muteMember: 'Silenzia',
  unmuteMember: 'Togli il silenzio',
  makeModerator: 'Nomina moderatore',
  makeMember: 'Rendi membro',
  confirmAction: (action, name) => `${action}: ${name}?`,
  duration: 'Durata',
  forHour: '1 ora',
  forDay: '1 giorno',
  forEver: 'Fino a revoca',
  reason: 'Motivo',
  freeze: 'Solo i moderatori possono scrivere',
  slowMode: 'Modalità lenta',
  slowOff: 'Disattivata',
  everySeconds: (s) => (s < 60 ? `${number.format(s)} s` : `${number.format(s / 60)} min`),
  bannedHere: 'Persone bannate',
  // The people panel and the notification levels: in their chunk.
  messagePrivately: 'Invia un messaggio privato',
  privateChats: 'Conversazioni private',
  notifyAll: 'Tutti i messaggi',
  notifyMentions: 'Messaggi privati e menzioni',
  notifyNone: 'Niente',
  enableNotifications: 'Attiva le notifiche',
  notificationsBlocked: 'Questo browser blocca le notifiche di questa pagina.',
  membersShown: (shown, total) =>
    `${count(shown, { one: 'Visualizzata # persona', many: 'Visualizzate # di persone', other: 'Visualizzate # persone' })} su ${number.format(total)}`,
  moreMembers: 'Mostra altre persone',
  roleOwner: 'proprietario',
  roleModerator: 'moderatore',
  mutedMark: 'silenziato',
  // The @ and / suggestions: in their chunk.
  mentionsLabel: 'Persone da menzionare',
  commandsLabel: 'Comandi',
  // Pins: in their chunk.
  pinnedLabel: 'Messaggi fissati',
  pinnedCount: (n) => count(n, { one: '# fissato', other: '# fissati' }),
  goToPinned: 'Vai al messaggio fissato:',
  unpinMessage: (quote) => `Togli dai fissati: ${quote}`,
  pin: 'Fissa',
  unpin: 'Togli dai fissati',
  // Polls: in their chunk.
  pollLegend: (multiple) => (multiple ? 'Sondaggio: scegli una o più opzioni' : "Sondaggio: scegli un'opzione"),
  pollResult: (votes, percent) =>
    `${count(votes, { one: '# voto', many: '# di voti', other: '# voti' })}, ${percentage.format(percent / 100)}`,
  pollTotal: (votes) => count(votes, { one: '# voto in totale', many: '# di voti in totale', other: '# voti in totale' }),
  yourVote: 'il tuo voto',
  vote: 'Vota',
  changeVote: 'Cambia voto',
  closePoll: 'Chiudi il sondaggio',
  pollClosed: 'Chiuso',
  pollClosesAt: (time) => `Si chiude ${at(time)}`,
  pollAnonymousMark: 'Anonimo',
  newPoll: 'Nuovo sondaggio',
  pollQuestion: 'Domanda',
  pollOption: (n) => `Opzione ${number.format(n)}`,
  pollOptions: 'Opzioni',
  addOption: "Aggiungi un'opzione",
  removeOption: (n) => `Rimuovi l'opzione ${number.format(n)}`,
  pollMultiple: 'Consenti più risposte',
  pollAnonymous: 'Anonimo: nessuno vede chi ha votato',
  postPoll: 'Pubblica il sondaggio',
  // The Questions tab: in its chunk.
  questionsTab: (open) => (open ? `Domande (${number.format(open)})` : 'Domande'),
  questionsLabel: 'Domande',
  closeQuestions: 'Chiudi le domande',
  yourQuestion: 'La tua domanda',
  ask: 'Chiedi',
  questionEmpty: 'Scrivi prima la tua domanda.',
  noQuestions: 'Ancora nessuna domanda.',
  answeredQuestions: 'Con risposta',
  upvoteQuestion: (n) => `Sostieni (${count(n, { one: '# voto', many: '# di voti', other: '# voti' })})`,
  markAnswered: 'Segna con risposta',
  markUnanswered: 'Segna senza risposta',
  hideQuestion: 'Nascondi',
  showQuestion: 'Mostra di nuovo',
  hiddenMark: 'Nascosta',
  waitingForApproval: 'In attesa di approvazione',
  awaitingMark: 'Non ancora visibile agli altri',
  approveQuestion: 'Approva',
  rejectQuestion: 'Rifiuta',
  sentForReview: "Inviata. Comparirà qui quando un moderatore l'avrà approvata.",
  moreQuestions: 'Mostra altre domande',
  moreQuestionsShown: (n) =>
    n
      ? count(n, { one: '# altra domanda mostrata.', many: '# di altre domande mostrate.', other: '# altre domande mostrate.' })
      : 'Non ci sono altre domande.',
  // Link previews: in their chunk.
  previewsLabel: 'Anteprima del link',
  removePreview: "Rimuovi l'anteprima",
  // Voice messages: in their chunk.
  voiceMessage: 'Messaggio vocale',
  playVoice: 'Riproduci il messaggio vocale',
  pauseVoice: 'Metti in pausa',
  voicePosition: 'Posizione',
  voiceAt: (at, duration) => `${at} di ${duration}`,
  recordingVoice: 'Registrazione di un messaggio vocale',
  sendRecording: 'Invia il messaggio vocale',
  recordingStopped: 'La registrazione si è fermata. Inviala o annullala.',
  micRefused: 'Impossibile usare il microfono. Consentilo per questa pagina nel browser, poi riprova.',
  // Notify me on this device: in their chunk.
  pushOn: 'Avvisami su questo dispositivo',
  pushOff: 'Non avvisarmi più su questo dispositivo',
  pushUnsupported: 'Questo browser non può avvisarti quando la pagina è chiusa.',
  pushDenied: 'Per ricevere avvisi su questo dispositivo, consenti le notifiche per questo sito nelle impostazioni del browser.',
  pushFailed: 'Non è stato possibile attivare le notifiche su questo dispositivo. Riprova più tardi.',
  pushUnavailable:
    'Questa finestra del browser non può ricevere notifiche (ad esempio una finestra di navigazione privata). Prova in una finestra normale.',
  pushWorking: 'Attivazione delle notifiche…',
  pushSlow: 'Nessun servizio di notifiche ha risposto a questo browser. Controlla la connessione e riprova.',
  // Search: in their chunk.
  searchLabel: 'Cerca in questa conversazione',
  searchAllLabel: 'Cerca in tutte le conversazioni',
  searchScope: 'Dove cercare',
  searchHere: 'Questa conversazione',
  searchAll: 'Tutte le conversazioni',
  searchGo: 'Cerca',
  searching: 'Ricerca in corso…',
  searchFound: (found, more) =>
    `${
      more
        ? `${number.format(found)}+ messaggi trovati`
        : count(found, { one: '# messaggio trovato', many: '# di messaggi trovati', other: '# messaggi trovati' })
    }. Scegline uno per aprirlo.`,
  searchNone: 'Nessun messaggio trovato.',
  searchMore: 'Altri risultati',
  // Threads: in their chunk.
  threadTitle: 'Thread',
  closeThread: 'Chiudi il thread',
  threadReplies: 'Risposte',
  noReplies: 'Ancora nessuna risposta. Avvia il thread.',
  noRepliesClosed: 'Ancora nessuna risposta.',
  olderReplies: 'Mostra le risposte precedenti',
  threadComposer: 'Rispondi nel thread',
  threadOpened: (name) => `Thread del messaggio di ${name} aperto`,
  // The next message's files: in their chunk.
  filesLabel: 'File da inviare',
  uploading: (name) => `Caricamento di ${name}`,
  removeFile: (name) => `Rimuovi ${name}`,
  errors: {
    lang: 'it',
    name: { UNAUTHENTICATED: BAD_NAME, VALIDATION_FAILED: BAD_NAME },
    file: {
      PAYLOAD_TOO_LARGE: 'Questo file è troppo grande per essere caricato qui.',
      VALIDATION_FAILED: 'Questo tipo di file non si può caricare qui.',
    },
    UNAUTHENTICATED: 'Non è stato possibile verificare la tua identità. Accedi di nuovo.',
    FORBIDDEN: 'Non hai il permesso di farlo.',
    VALIDATION_FAILED: "Il server non l'ha accettato: manca qualcosa, è troppo lungo o contiene caratteri non consentiti.",
    PAYLOAD_TOO_LARGE: 'È troppo grande: il testo, gli allegati o le menzioni superano il limite.',
    RATE_LIMITED: 'Troppe richieste in questo momento. Attendi un attimo e riprova.',
    ROOM_NOT_FOUND: 'Questa stanza non esiste.',
    ROOM_ENDED: 'Questa chat è terminata.',
    ROOM_EXISTS: 'Esiste già una stanza con questo identificativo.',
    NOT_IN_ROOM: 'Non sei in questa stanza.',
    ALREADY_IN_ROOM: 'Sei già in questa stanza.',
    NAME_TAKEN: 'Qualcuno in questa stanza usa già questo nome.',
    MESSAGE_NOT_FOUND: 'Quel messaggio non esiste più.',
    BANNED: "Ti è stato vietato l'accesso a questa stanza.",
    MUTED: 'Un moderatore ti ha silenziato in questa stanza: puoi leggere, ma non scrivere né reagire.',
    CALL_NOT_FOUND: 'Quella chiamata non è più in corso.',
    POLL_CLOSED: 'Questo sondaggio è chiuso: non accetta più voti.',
    E2EE_STALE_EPOCH: 'La crittografia di questa stanza è appena cambiata. Riprova tra un momento.',
    E2EE_DEVICE_REMOVED:
      'Questo dispositivo è stato rimosso dalle conversazioni crittografate: non può più inviare né leggere nuovi messaggi al loro interno.',
    TIMEOUT: 'Il server non ha risposto in tempo. Puoi riprovare.',
    INTERNAL: 'Qualcosa è andato storto. Riprova più tardi.',
  },
};
