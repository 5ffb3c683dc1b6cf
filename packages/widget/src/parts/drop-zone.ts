/** What a drop adds files to. */
interface DropTarget {
  add(files: ArrayLike<File>): void;
}

/**
 * The listeners of files dragged over the widget: attached when dropped (with `uploads`, while it
 * can send, not `disabled`), or to what `inner` answers for where they were dropped (the open
 * thread panel's composer); `onDropping` says whether files are over it now.
 */
export function dropZone(
  uploads: DropTarget | undefined,
  disabled: boolean,
  onDropping: (on: boolean) => void,
  inner?: (event: DragEvent) => DropTarget | undefined,
) {
  const drag = (event: DragEvent) => {
    if (!uploads || disabled || !event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    onDropping(event.type === 'dragover');
    if (event.type === 'drop') (inner?.(event) ?? uploads).add(event.dataTransfer.files);
  };
  const leave = (event: DragEvent) => {
    if (!(event.currentTarget as Element).contains(event.relatedTarget as Node | null)) onDropping(false);
  };
  return { drag, leave };
}
