// The uploads capability as the facade and the entry points see it: the only file of it they import.

export { createUploadRoutes } from './upload-routes.js';
export type { UploadRoutes } from './upload-routes.js';
export type { ChatUploads, UploadContext, UploadFile, UploadTarget } from './chat-uploads.js';
export { DiskUploads, diskUploads } from './disk-uploads.js';
export type { DiskUploadsOptions } from './disk-uploads.js';
