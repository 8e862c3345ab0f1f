import type { BrowserContext } from 'playwright-core';
import { SharedResource } from '../../process/shared-resource.ts';

/**
 * One browser context shared by several browser clients, as tabs of one browser share its
 * connections (over HTTP/1.1 at most 6 per origin, over HTTP/2 one). The first to ask opens it,
 * the last to let go closes it.
 */
export class SharedBrowserContext extends SharedResource<BrowserContext> {
  constructor() {
    super((context) => context.close());
  }
}
