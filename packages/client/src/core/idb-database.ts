// Opening one of the client's IndexedDB databases (the outbox's, the e2ee device store's).

/**
 * Opens `name` at version 1, creating its stores with `upgrade` the first time. When a newer
 * version of this code opens the database elsewhere, this connection steps aside (`forget`) so
 * that the next use opens it again.
 */
export function openDatabase(
  factory: IDBFactory,
  name: string,
  upgrade: (db: IDBDatabase) => void,
  forget: () => void,
): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(name, 1);
    request.onupgradeneeded = () => upgrade(request.result);
    request.onsuccess = () => {
      const db = request.result;
      db.onversionchange = () => {
        db.close();
        forget();
      };
      resolve(db);
    };
    request.onerror = () => reject(request.error ?? new Error(`IndexedDB could not open "${name}".`));
  });
}
