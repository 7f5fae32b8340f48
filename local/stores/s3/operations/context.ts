import type { ObjectStore } from '../object-store';

/** What the operations work on: the stored objects, and the endpoint's settings that responses report. */
export interface S3Context {
  store: ObjectStore;
  region: string;
  /** When the endpoint started, given as every bucket's creation date. */
  startedAt: string;
  /** Largest object accepted, in bytes. */
  maxObjectSize: number;
}
