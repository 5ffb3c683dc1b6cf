// Runs before every test file, also where files share a worker's modules (vitest.config.ts): a
// hook registered when a shared module is first imported would hold only for the first file.
import { afterEach } from 'vitest';
import { closeTracked } from './tracked.js';

afterEach(closeTracked);
