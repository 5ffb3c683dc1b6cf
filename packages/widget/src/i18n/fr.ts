import { counter } from './plural.js';
import { listNames, type LanguageTable } from './strings.js';

const number = new Intl.NumberFormat('fr');
const percentage = new Intl.NumberFormat('fr', { style: 'percent' });
const count = counter('fr');
/** « 3 autres » : the others after the first names. */
const others = (n: number): string => count(n, { one: 'une autre personne', other: '# autres' });
/** A time of today (« 10:30 », « 10 h 30 ») rather than a date with its time (« 1 janv., 10:30 »). */
const isClock = (time: string): boolean => /^\d{1,2}(?::|\s?h\s?)\d{2}$/u.test(time.trim());
/** « à 10:30 », « le 1 janv., 10:30 ». */
const at = (time: string): string => (isClock(time) ? `à ${time}` : `le ${time}`);
/** « jusqu'à 10:30 », « jusqu'au 1 janv., 10:30 ». */
const until = (time: string): string => (isClock(time) ? `jusqu'à ${time}` : `jusqu'au ${time}`);

/** A guest name the server refused for its form (under the name field). */
const BAD_NAME = 'Ce nom ne peut pas être utilisé\u00a0: il est vide, trop long ou contient des caractères non autorisés.';

/** Français. */
export const fr: LanguageTable = {
  chatLabel: 'Discussion',
  messagesLabel: 'Messages',
  composerLabel: 'Message',
  composerPlaceholder: 'Écrivez un message…',
  send: 'Envoyer',
  membersCount: (n) => count(n, { one: '# personne', many: '# de personnes', other: '# personnes' }),
  membersLabel: 'Personnes présentes',
  showMembers: 'Afficher les personnes présentes',
  hideMembers: 'Masquer les personnes présentes',
  typing: (names) => `${listNames(names, 'et', others)} ${names.length === 1 ? 'écrit' : 'écrivent'}…`,
  joined: (name) => `${name} a rejoint le salon`,
  left: (name) => `${name} a quitté le salon`,
  newMessages: (n) => count(n, { one: '# nouveau message', many: '# de nouveaux messages', other: '# nouveaux messages' }),
  latest: 'Aller aux derniers messages',
  loadingOlder: 'Chargement des messages précédents…',
  beginning: 'Voici le début de la conversation.',
  sending: 'Envoi en cours…',
  failed: 'Non envoyé.',
  retry: 'Réessayer',
  discard: 'Supprimer',
  offline: 'Vous êtes hors ligne. Les messages seront envoyés dès le retour de la connexion.',
  connecting: 'Connexion en cours…',
  ended: 'Cette discussion est terminée.',
  removed: "Vous n'avez plus accès à ce salon.",
  signedOut: 'Votre session a expiré. Reconnectez-vous pour continuer à discuter.',
  gap: "Certains messages n'ont pas pu être chargés.",
  historyReset: "L'historique de la discussion a été réinitialisé sur le serveur. Les messages précédents ne sont plus disponibles.",
  you: 'Vous',
  attachment: 'Pièce jointe',
  replyingTo: (quote) => `en réponse à ${quote}`,
  earlierMessage: 'un message précédent',
  namePrompt: 'Choisissez un nom pour rejoindre la discussion.',
  nameRefused: 'Choisissez un autre nom pour rejoindre la discussion.',
  nameLabel: 'Votre nom',
  join: 'Rejoindre',
  empty: "Aucun message pour l'instant. Dites bonjour\u202f!",
  logHint: "Les flèches permettent de passer d'un message à l'autre\u202f; Entrée affiche ce que vous pouvez faire avec un message.",
  actionsLabel: 'Actions sur le message',
  reply: 'Répondre',
  replyInThread: 'Répondre dans un fil',
  replyCount: (n) => count(n, { one: '# réponse', many: '# de réponses', other: '# réponses' }),
  react: 'Réagir',
  edit: 'Modifier',
  delete: 'Supprimer',
  reactedBy: (names, more) =>
    !more
      ? listNames(names, 'et', others)
      : names.length
        ? `${names.join(', ')} et ${others(more)}`
        : count(more, { one: '# personne', many: '# de personnes', other: '# personnes' }),
  edited: 'modifié',
  deleted: 'Ce message a été supprimé.',
  encrypted: 'Chiffré de bout en bout',
  undecryptable: 'Ce message ne peut pas être déchiffré sur cet appareil.',
  fingerprint: 'Empreinte de sécurité (comparez-la avec la sienne)',
  deletedMessage: 'un message supprimé',
  save: 'Enregistrer',
  cancel: 'Annuler',
  replyingToLabel: (quote) => `Réponse à ${quote}`,
  cancelReply: 'Annuler la réponse',
  originalMissing: "Le message d'origine n'est plus dans l'historique.",
  mentionsYou: 'Vous mentionne',
  today: "Aujourd'hui",
  yesterday: 'Hier',
  online: 'En ligne',
  away: 'Absent',
  busy: 'Occupé',
  originRefused: () => "La discussion n'est pas disponible sur cette page.",
  attach: 'Joindre des fichiers',
  recordVoice: 'Enregistrer un message vocal',
  dropFiles: 'Déposez les fichiers pour les joindre',
  waitForUploads: "Attendez la fin de l'importation des fichiers, puis envoyez.",
  viewImage: (name) => `Voir ${name}`,
  close: 'Fermer',
  unreadDivider: 'Nouveaux messages',
  offlineStatus: 'Hors ligne',
  lastSeen: (time) => `Dernière connexion ${at(time)}`,
  privateChat: 'Conversation privée',
  backTo: (name) => `Retour à ${name}`,
  unread: (n) => count(n, { one: '# non lu', many: '# de non lus', other: '# non lus' }),
  mentions: (n) => count(n, { one: '# mention', many: '# de mentions', other: '# mentions' }),
  notifications: 'Notifications',
  conversations: 'Conversations',
  severalTyping: 'Plusieurs personnes écrivent…',
  botMark: 'BOT',
  botLabel: '(bot)',
  callStartedLine: (name, video) => `${name} a lancé un ${video ? 'appel vidéo' : 'appel vocal'}`,
  callEndedLine: (video, duration) => `${video ? 'Appel vidéo terminé' : 'Appel vocal terminé'} · ${duration}`,
  missedCallLine: (name, video) => `${video ? 'Appel vidéo manqué' : 'Appel vocal manqué'} de ${name}`,
  mutedUntil: (time) => `Vous n'avez plus la parole ${until(time)}`,
  mutedNow: "Vous n'avez plus la parole dans ce salon",
  frozenRoom: 'Pour le moment, seuls les modérateurs peuvent écrire dans ce salon',
  slowWait: (s) => `Vous pourrez écrire à nouveau dans ${number.format(s)}\u00a0s`,
  kickedLine: (reason) => `Un modérateur vous a fait sortir de ce salon.${reason ? ` Motif\u00a0: ${reason}` : ''}`,
  bannedLine: (time, reason) =>
    `L'accès à ce salon vous est interdit${time ? ` ${until(time)}` : ''}.${reason ? ` Motif\u00a0: ${reason}` : ''}`,
  moderation: 'Modération',
  searchMessages: 'Rechercher des messages',
  report: 'Signaler',
  reported: 'Merci, les organisateurs ont été prévenus.',
  onlyYou: 'Visible uniquement par vous',
  // Calls: in their chunk.
  audioCall: 'Passer un appel vocal',
  videoCall: 'Passer un appel vidéo',
  callPerson: (name) => `Appeler ${name}`,
  joinCall: "Rejoindre l'appel",
  incomingCall: (name, video) => `${name} vous appelle (${video ? 'appel vidéo' : 'appel vocal'})`,
  accept: 'Accepter',
  decline: 'Refuser',
  callLabel: (video) => (video ? 'Appel vidéo' : 'Appel vocal'),
  calling: (names) => `En attente de réponse de ${names}…`,
  waiting: "En attente d'autres participants…",
  connectingMedia: 'Connexion…',
  mute: 'Couper le micro',
  camera: 'Désactiver la caméra',
  hangUp: 'Raccrocher',
  joinedCall: (name) => `${name} a rejoint l'appel`,
  leftCall: (name) => `${name} a quitté l'appel`,
  callEnded: "L'appel est terminé.",
  missedCall: (name) => `Appel manqué de ${name}`,
  callGoingOn: (names) => `Un appel est en cours avec ${names}`,
  devicesFailed: (video, why) => {
    if (why === 'blocked')
      return `Le navigateur n'a pas autorisé l'accès ${video ? 'au micro et à la caméra' : 'au micro'}\u00a0: autorisez-le pour cette page afin de pouvoir appeler.`;
    return why === 'missing'
      ? `${video ? 'Aucun micro ni aucune caméra' : 'Aucun micro'} n'a été détecté sur cet appareil.`
      : `Impossible de démarrer ${video ? 'le micro et la caméra' : 'le micro'}\u00a0: une autre application ${video ? 'les utilise' : "l'utilise"} peut-être.`;
  },
  // <chat-inbox>: in their chunk.
  noConversations: "Aucune conversation pour l'instant.",
  // Encrypted rooms: in their chunk.
  fileOpening: (name) => `Déchiffrement de ${name}…`,
  fileFailed: (name) => `Impossible d'ouvrir ${name} sur cet appareil\u00a0: le fichier n'a pas pu être téléchargé ou déchiffré.`,
  // Encrypted rooms: in their chunk.
  keyChanged: (name) => `La clé de sécurité de ${name} a changé.`,
  keyChangedSelf: 'Votre clé de sécurité a changé\u00a0: un de vos nouveaux appareils peut lire ce salon.',
  compareFingerprints: 'Comparer les empreintes',
  deviceRemoved:
    'Cet appareil a été retiré des conversations chiffrées\u00a0: il ne peut plus lire ni envoyer de nouveaux messages ici. Vos autres appareils, eux, le peuvent toujours.',
  // Live reactions: in their chunk.
  liveReactionsLabel: 'Réactions en direct',
  sendLiveReaction: (emoji) => `Réagir avec ${emoji}`,
  // What opens on a message: in their chunk.
  chooseReaction: 'Choisissez une réaction',
  editLabel: 'Modifier le message',
  editHint: 'Entrée pour enregistrer, Échap pour annuler.',
  confirmDelete: 'Supprimer ce message pour tout le monde\u202f?',
  reportReason: 'Pourquoi signalez-vous ce message\u202f?',
  // Moderation (what only moderators see): in their chunk.
  kick: 'Expulser du salon',
  ban: 'Bannir',
  unban: 'Lever le bannissement',
  muteMember: 'Retirer la parole',
  unmuteMember: 'Rendre la parole',
  makeModerator: 'Nommer modérateur',
  makeMember: 'Rétrograder en membre',
  confirmAction: (action, name) => `${action}\u00a0: ${name}\u202f?`,
  duration: 'Durée',
  forHour: '1 heure',
  forDay: '1 jour',
  forEver: "Jusqu'à nouvel ordre",
  reason: 'Motif',
  freeze: 'Seuls les modérateurs peuvent écrire',
  slowMode: 'Mode lent',
  slowOff: 'Désactivé',
  everySeconds: (s) => (s < 60 ? `${number.format(s)}\u00a0s` : `${number.format(s / 60)}\u00a0min`),
  bannedHere: 'Personnes bannies',
  // The people panel and the notification levels: in their chunk.
  messagePrivately: 'Envoyer un message privé',
  privateChats: 'Conversations privées',
  notifyAll: 'Tous les messages',
  notifyMentions: 'Messages privés et mentions',
  notifyNone: 'Rien',
  enableNotifications: 'Activer les notifications',
  notificationsBlocked: 'Ce navigateur bloque les notifications de cette page.',
  membersShown: (shown, total) =>
    `${count(shown, { one: '# personne affichée', many: '# de personnes affichées', other: '# personnes affichées' })} sur ${number.format(total)}`,
  moreMembers: 'Afficher plus de personnes',
  roleOwner: 'propriétaire',
  roleModerator: 'modérateur',
  mutedMark: 'parole retirée',
  // The @ and / suggestions: in their chunk.
  mentionsLabel: 'Personnes à mentionner',
  commandsLabel: 'Commandes',
  // Pins: in their chunk.
  pinnedLabel: 'Messages épinglés',
  pinnedCount: (n) => count(n, { one: '# épinglé', other: '# épinglés' }),
  goToPinned: 'Aller au message épinglé\u00a0:',
  unpinMessage: (quote) => `Désépingler\u00a0: ${quote}`,
  pin: 'Épingler',
  unpin: 'Désépingler',
  // Polls: in their chunk.
  pollLegend: (multiple) => (multiple ? 'Sondage\u00a0: choisissez une ou plusieurs réponses' : 'Sondage\u00a0: choisissez une réponse'),
  pollResult: (votes, percent) =>
    `${count(votes, { one: '# vote', many: '# de votes', other: '# votes' })}, ${percentage.format(percent / 100)}`,
  pollTotal: (votes) => count(votes, { one: '# vote au total', many: '# de votes au total', other: '# votes au total' }),
  yourVote: 'votre vote',
  vote: 'Voter',
  changeVote: 'Modifier le vote',
  closePoll: 'Clôturer le sondage',
  pollClosed: 'Clôturé',
  pollClosesAt: (time) => `Clôture ${at(time)}`,
  pollAnonymousMark: 'Anonyme',
  newPoll: 'Nouveau sondage',
  pollQuestion: 'Question',
  pollOption: (n) => `Option ${number.format(n)}`,
  pollOptions: 'Options',
  addOption: 'Ajouter une option',
  removeOption: (n) => `Supprimer l'option ${number.format(n)}`,
  pollMultiple: 'Autoriser plusieurs réponses',
  pollAnonymous: 'Anonyme\u00a0: personne ne voit qui a voté',
  postPoll: 'Publier le sondage',
  // The Questions tab: in its chunk.
  questionsTab: (open) => (open ? `Questions (${number.format(open)})` : 'Questions'),
  questionsLabel: 'Questions',
  closeQuestions: 'Fermer les questions',
  yourQuestion: 'Votre question',
  ask: 'Poser la question',
  questionEmpty: "Écrivez d'abord votre question.",
  noQuestions: 'Aucune question pour le moment.',
  answeredQuestions: 'Répondues',
  upvoteQuestion: (n) => `Soutenir (${count(n, { one: '# vote', many: '# de votes', other: '# votes' })})`,
  markAnswered: 'Marquer comme répondue',
  markUnanswered: 'Marquer comme non répondue',
  hideQuestion: 'Masquer',
  showQuestion: 'Afficher à nouveau',
  hiddenMark: 'Masquée',
  waitingForApproval: "En attente d'approbation",
  awaitingMark: 'Pas encore visible par les autres',
  approveQuestion: 'Approuver',
  rejectQuestion: 'Refuser',
  sentForReview: "Envoyée. Elle apparaîtra ici dès qu'un modérateur l'aura approuvée.",
  moreQuestions: 'Afficher plus de questions',
  moreQuestionsShown: (n) =>
    n
      ? count(n, {
          one: '# question supplémentaire affichée.',
          many: '# de questions supplémentaires affichées.',
          other: '# questions supplémentaires affichées.',
        })
      : 'Aucune autre question.',
  // Link previews: in their chunk.
  previewsLabel: 'Aperçu du lien',
  removePreview: "Supprimer l'aperçu",
  // Voice messages: in their chunk.
  voiceMessage: 'Message vocal',
  playVoice: 'Écouter le message vocal',
  pauseVoice: 'Mettre en pause',
  voicePosition: 'Position',
  voiceAt: (at, duration) => `${at} sur ${duration}`,
  recordingVoice: 'Enregistrement d’un message vocal',
  sendRecording: 'Envoyer le message vocal',
  recordingStopped: 'L’enregistrement s’est arrêté. Envoyez-le ou annulez-le.',
  micRefused: 'Le micro n’a pas pu être utilisé. Autorisez-le pour cette page dans votre navigateur, puis réessayez.',
  // Notify me on this device: in their chunk.
  pushOn: "M'avertir sur cet appareil",
  pushOff: "Ne plus m'avertir sur cet appareil",
  pushUnsupported: 'Ce navigateur ne peut pas vous avertir quand la page est fermée.',
  pushDenied: 'Pour recevoir des notifications sur cet appareil, autorisez-les pour ce site dans les paramètres de votre navigateur.',
  pushFailed: "Impossible d'activer les notifications sur cet appareil. Réessayez plus tard.",
  pushUnavailable:
    'Cette fenêtre du navigateur ne peut pas recevoir de notifications (une fenêtre de navigation privée, par exemple). Essayez dans une fenêtre normale.',
  pushWorking: 'Activation des notifications…',
  pushSlow: "Aucun service de notifications n'a répondu à ce navigateur. Vérifiez la connexion et réessayez.",
  // Search: in their chunk.
  searchLabel: 'Rechercher dans cette conversation',
  searchAllLabel: 'Rechercher dans toutes les conversations',
  searchScope: 'Où chercher',
  searchHere: 'Cette conversation',
  searchAll: 'Toutes les conversations',
  searchGo: 'Rechercher',
  searching: 'Recherche en cours…',
  searchFound: (found, more) =>
    `${
      more
        ? `${number.format(found)}+ messages trouvés`
        : count(found, { one: '# message trouvé', many: '# de messages trouvés', other: '# messages trouvés' })
    }. Choisissez-en un pour y accéder.`,
  searchNone: 'Aucun message trouvé.',
  searchMore: 'Plus de résultats',
  // Threads: in their chunk.
  threadTitle: 'Fil de discussion',
  closeThread: 'Fermer le fil',
  threadReplies: 'Réponses',
  noReplies: "Aucune réponse pour l'instant. Lancez la discussion.",
  noRepliesClosed: "Aucune réponse pour l'instant.",
  olderReplies: 'Afficher les réponses précédentes',
  threadComposer: 'Répondre dans le fil',
  threadOpened: (name) => `Fil du message de ${name} ouvert`,
  // The next message's files: in their chunk.
  filesLabel: 'Fichiers à envoyer',
  uploading: (name) => `Importation de ${name}`,
  removeFile: (name) => `Retirer ${name}`,
  errors: {
    lang: 'fr',
    name: { UNAUTHENTICATED: BAD_NAME, VALIDATION_FAILED: BAD_NAME },
    file: {
      PAYLOAD_TOO_LARGE: 'Ce fichier est trop volumineux pour être envoyé ici.',
      VALIDATION_FAILED: 'Ce type de fichier ne peut pas être envoyé ici.',
    },
    UNAUTHENTICATED: 'Impossible de vérifier votre identité. Reconnectez-vous.',
    FORBIDDEN: "Vous n'avez pas l'autorisation de faire cela.",
    VALIDATION_FAILED:
      "Le serveur a refusé la demande\u00a0: il manque quelque chose, c'est trop long ou certains caractères ne sont pas autorisés.",
    PAYLOAD_TOO_LARGE: "C'est trop volumineux\u00a0: le texte, les pièces jointes ou les mentions dépassent la limite.",
    RATE_LIMITED: 'Trop de demandes en ce moment. Patientez un instant, puis réessayez.',
    ROOM_NOT_FOUND: "Ce salon n'existe pas.",
    ROOM_ENDED: 'Cette discussion est terminée.',
    ROOM_EXISTS: 'Un salon avec cet identifiant existe déjà.',
    NOT_IN_ROOM: "Vous n'êtes pas dans ce salon.",
    ALREADY_IN_ROOM: 'Vous êtes déjà dans ce salon.',
    NAME_TAKEN: "Quelqu'un dans ce salon utilise déjà ce nom.",
    MESSAGE_NOT_FOUND: "Ce message n'existe plus.",
    BANNED: "L'accès à ce salon vous est interdit.",
    MUTED: 'La parole vous a été retirée dans ce salon\u00a0: vous pouvez lire, mais ni écrire ni réagir.',
    CALL_NOT_FOUND: "Cet appel n'est plus en cours.",
    POLL_CLOSED: "Ce sondage est clôturé\u00a0: il n'accepte plus de votes.",
    E2EE_STALE_EPOCH: 'Le chiffrement de ce salon vient de changer. Réessayez dans un instant.',
    E2EE_DEVICE_REMOVED:
      'Cet appareil a été retiré des conversations chiffrées\u00a0: il ne peut plus envoyer ni lire de nouveaux messages dans ces conversations.',
    TIMEOUT: "Le serveur n'a pas répondu à temps. Vous pouvez réessayer.",
    INTERNAL: 'Un problème est survenu. Réessayez plus tard.',
  },
};
