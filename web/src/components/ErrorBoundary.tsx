/** Catches a page that fails to render (or a chunk that fails to load) and says so, never a blank page. */
import { Component, type ReactNode } from "react";

interface State {
  error: Error | null;
}

/** Shows the error's message with a reload button instead of an empty screen. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidUpdate(prev: { resetKey?: string }): void {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="state state-error" role="alert">
        <p className="state-title">This page could not be shown</p>
        <p>
          Part of this page failed to load. Reload the page; if it happens again, go back to My week and open
          it from there.
        </p>
        <button type="button" className="button secondary" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    );
  }
}
