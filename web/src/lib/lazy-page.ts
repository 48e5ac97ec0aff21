/**
 * A page loaded on first visit, like React's `lazy`, that renders at once when its code has already
 * arrived (issue 17). `lazy` alone suspends on every first render, even of a chunk already loaded
 * (main.tsx starts the first page's chunk with the session check), and React then holds the page
 * back behind the Suspense fallback for up to 300 ms (its throttle on revealing content after a
 * fallback), which was most of a warm navigation to My week. Here the loader remembers the module,
 * and the component's loader hands it over synchronously: React's lazy reads a thenable that
 * resolves on the spot as loaded, and never shows the fallback.
 */
import { type ComponentType, type LazyExoticComponent, lazy } from "react";

// biome-ignore lint/suspicious/noExplicitAny: a page's props are its own
type PageModule = { default: ComponentType<any> };

/** The page's component and a `load` that starts (or reuses) fetching its code. */
export function lazyPage<M extends PageModule>(
  importPage: () => Promise<M>,
): { load: () => Promise<M>; Page: LazyExoticComponent<M["default"]> } {
  let loaded: M | undefined;
  let loading: Promise<M> | undefined;
  const load = () => {
    loading ??= importPage().then(
      (m) => {
        loaded = m;
        return m;
      },
      (e: unknown) => {
        // A failed load (the network, a new deploy) may be tried again on the next render.
        loading = undefined;
        throw e;
      },
    );
    return loading;
  };
  const Page = lazy(() => {
    if (!loaded) return load();
    const m = loaded;
    // A thenable already resolved: React's lazy takes its value in the same render.
    // biome-ignore lint/suspicious/noThenProperty: a thenable is the point here
    return { then: (resolve: (value: M) => void) => resolve(m) } as unknown as Promise<M>;
  });
  return { load, Page };
}
