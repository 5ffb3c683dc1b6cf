// Config of the custom-elements manifest (`custom-elements-manifest analyze`, run by the build).
export default {
  globs: ['src/chat-room/chat-room.component.ts', 'src/chat-inbox/chat-inbox.component.ts'],
  outdir: '.',
  litelement: true,
  plugins: [
    {
      // Lit's internal reactive state (`_unread`...) is not API, and a dispatchEvent whose name the
      // analyzer cannot read statically shows up unnamed; the @fires tags document the events.
      name: 'public-api-only',
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules) {
          for (const decl of mod.declarations ?? []) {
            if (decl.attributes) decl.attributes = decl.attributes.filter((a) => !a.name.startsWith('_'));
            if (decl.members)
              decl.members = decl.members.filter((m) => !m.name.startsWith('_') && !m.name.startsWith('#') && m.privacy !== 'private');
            if (decl.events) decl.events = decl.events.filter((e) => e.name);
          }
        }
      },
    },
  ],
};
