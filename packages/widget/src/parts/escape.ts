/**
 * A keydown handler: Escape closes (`close`) and goes no further: not to the page (a host's
 * `<dialog>` around the widget would close too) nor to a panel around this one.
 */
export const escapeCloses =
  (close: () => void) =>
  (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    close();
  };
