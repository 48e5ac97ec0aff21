/** A page for addresses that lead nowhere. */
import { Link } from "react-router";
import { usePageTitle } from "../components/Layout.js";

/** Not found. */
export default function NotFoundPage() {
  usePageTitle("Not found");
  return (
    <section className="page">
      <h1>Nothing here</h1>
      <p>
        This address does not lead to a page. Go to <Link to="/">my week</Link>.
      </p>
    </section>
  );
}
