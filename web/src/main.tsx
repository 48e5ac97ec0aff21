/** The web app's entry: session, router and the pages, each loaded on first visit (route-split). */
import { lazy, StrictMode, Suspense } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter, Navigate, Route, Routes, useLocation } from "react-router";
import { SessionProvider, useSession } from "./api/session.js";
import { ErrorBoundary } from "./components/ErrorBoundary.js";
import { Layout } from "./components/Layout.js";
import { ErrorNotice, Loading } from "./components/States.js";
import { lazyPage } from "./lib/lazy-page.js";
import { firstAnswers, prefetchFor, prefetchSession } from "./lib/prefetch.js";
import "./styles.css";

// The first pages render as soon as their code is here (lib/lazy-page.ts)
const { load: loadWeek, Page: WeekPage } = lazyPage(() => import("./pages/Week.js"));
const { load: loadGoal, Page: GoalPage } = lazyPage(() => import("./pages/Goal.js"));
// --- end issue 17 ---
const PlanBuilderPage = lazy(() => import("./pages/PlanBuilder.js"));
const GoalsPage = lazy(() => import("./pages/Goals.js"));
const CheckInPage = lazy(() => import("./pages/CheckIn.js"));
const TeamPage = lazy(() => import("./pages/Team.js"));
const PlaybooksPage = lazy(() => import("./pages/Playbooks.js"));
const PlaybookPage = lazy(() => import("./pages/Playbook.js"));
const PlaybookEditPage = lazy(() => import("./pages/PlaybookEdit.js"));
const PlaybookHistoryPage = lazy(() => import("./pages/PlaybookHistory.js"));
const SettingsPage = lazy(() => import("./pages/Settings.js"));
const InboxPage = lazy(() => import("./pages/Inbox.js"));
const ImportPage = lazy(() => import("./pages/Import.js"));
const SignInPage = lazy(() => import("./pages/SignIn.js"));
const NotFoundPage = lazy(() => import("./pages/NotFound.js"));
const IntegrationsPage = lazy(() => import("./pages/Integrations.js"));
const ResetPasswordPage = lazy(() => import("./pages/ResetPassword.js"));

function SignedInRoutes() {
  const location = useLocation();
  // Page data starts loading with navigation, alongside the page's chunk (lib/prefetch.ts).
  prefetchFor(location.pathname);
  return (
    <Layout>
      <ErrorBoundary resetKey={location.pathname}>
        <Suspense fallback={<Loading />}>
          <Routes>
            <Route path="/" element={<WeekPage />} />
            <Route path="/plan" element={<PlanBuilderPage />} />
            <Route path="/goals" element={<GoalsPage />} />
            <Route path="/goals/:id" element={<GoalPage />} />
            <Route path="/goals/:id/check-in" element={<CheckInPage />} />
            <Route path="/goals/:id/finish" element={<PlanBuilderPage />} />
            <Route path="/team" element={<TeamPage />} />
            <Route path="/playbooks" element={<PlaybooksPage />} />
            <Route path="/playbooks/new" element={<PlaybookEditPage />} />
            <Route path="/playbooks/:id" element={<PlaybookPage />} />
            <Route path="/playbooks/:id/edit" element={<PlaybookEditPage />} />
            <Route path="/playbooks/:id/history" element={<PlaybookHistoryPage />} />
            <Route path="/settings" element={<SettingsPage />} />
            <Route path="/inbox" element={<InboxPage />} />
            <Route path="/import" element={<ImportPage />} />
            <Route path="/integrations" element={<IntegrationsPage />} />
            <Route path="/sign-in" element={<Navigate to="/" replace />} />
            <Route path="/welcome" element={<Navigate to="/" replace />} />
            <Route path="/join/:token" element={<Navigate to="/" replace />} />
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </Suspense>
      </ErrorBoundary>
    </Layout>
  );
}

function App() {
  const { status, error, refresh } = useSession();
  const location = useLocation();
  if (status === "loading") {
    return (
      <main id="main" className="main">
        <Loading what="Opening Throughline" />
      </main>
    );
  }
  if (status === "error" && error) {
    return (
      <main id="main" className="main">
        <h1>Throughline</h1>
        <ErrorNotice error={error} retry={() => void refresh()} title="Throughline could not start" />
      </main>
    );
  }
  // A reset link (issue 16, defect 8) opens its own page, signed in or not.
  if (location.pathname === "/reset-password") {
    return (
      <ErrorBoundary>
        <Suspense
          fallback={
            <main id="main" className="main">
              <Loading />
            </main>
          }
        >
          <ResetPasswordPage />
        </Suspense>
      </ErrorBoundary>
    );
  }
  if (status === "signed-out") {
    return (
      <ErrorBoundary>
        <Suspense
          fallback={
            <main id="main" className="main">
              <Loading />
            </main>
          }
        >
          <SignInPage />
        </Suspense>
      </ErrorBoundary>
    );
  }
  return <SignedInRoutes />;
}

const root = document.getElementById("root");
if (root) {
  // The first page's code and data start loading now, alongside the session check, not after it
  // (bench/web-nav.mjs): a signed-out visitor's data request is refused and never shown.
  // Who is signed in, asked now (the HTML preloaded it), not after the first render
  prefetchSession();
  // --- end issue 17 (web17) ---
  const first = window.location.pathname;
  if (first === "/") void loadWeek();
  else if (/^\/goals\/\d+$/.test(first)) void loadGoal();
  prefetchFor(first);
  // render once the first answers are here (at most 400 ms), so a warm
  // navigation draws the page with its data in one render instead of loading states first ---
  void firstAnswers(400).then(() =>
    createRoot(root).render(
      <StrictMode>
        <BrowserRouter>
          <SessionProvider>
            <App />
          </SessionProvider>
        </BrowserRouter>
      </StrictMode>,
    ),
  );
  // --- end issue 17 (web17) ---
}
