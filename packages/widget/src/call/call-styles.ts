/**
 * The call UI's CSS, added to `<chat-room>`'s shadow root when the chunk loads (a plain string:
 * the chunk builds no Lit `css` at load). It uses the element's custom properties and button styles.
 */
export const callStyles = `
.call-start svg,.call-person svg{vertical-align:middle}
header .icon.call-start{padding:2px 4px}
.call-join{display:inline-flex;align-items:center;gap:4px;padding:2px 8px}
.call-banner{display:flex;flex-wrap:wrap;align-items:center;gap:8px;padding:8px 12px;background:var(--chat-surface);border-bottom:1px solid var(--chat-border)}
.call-banner p{flex:1;margin:0;min-width:120px;font-weight:600}
.call-banner button{display:inline-flex;align-items:center;gap:4px}
.call{display:flex;flex-direction:column;gap:6px;padding:8px;background:#111418;color:#f0f3f6;border-bottom:1px solid var(--chat-border);max-height:60%}
.call-status{margin:0;text-align:center;font-size:13px}
.tiles{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fit,minmax(120px,1fr));gap:6px;min-height:0;overflow:auto}
.tile{position:relative;display:flex;align-items:center;justify-content:center;aspect-ratio:4/3;background:#23282f;border-radius:6px;overflow:hidden}
.tile video{width:100%;height:100%;object-fit:cover}
.tile.self video{transform:scaleX(-1)}
.tile .avatar{width:48px;height:48px;font-size:18px}
.tile-name{position:absolute;inset-inline-start:4px;bottom:4px;max-width:calc(100% - 8px);padding:1px 6px;border-radius:4px;background:rgba(0,0,0,.65);color:#fff;font-size:12px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.call-controls{display:flex;justify-content:center;gap:10px}
.call-controls button{display:inline-flex;align-items:center;justify-content:center;width:40px;height:40px;border-radius:50%;border:1px solid #5b6470;color:#f0f3f6;padding:0}
.call-controls [aria-pressed='true']{background:#f0f3f6;color:#111418}
.call-controls .hang-up{background:#c5221f;border-color:#c5221f;color:#fff}
.call-controls .hang-up svg{transform:rotate(135deg)}
`;
