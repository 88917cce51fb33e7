// Starts GraphiQL on the page /graphql serves (smartoffice/api/graphiql.py), with the scripts vendored beside
// this file: nothing is fetched from another origin, so it works on a closed network.
(function () {
  "use strict";

  function cookie(name) {
    const match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : null;
  }

  // A signed-in browser must send the csrftoken cookie's value on every POST (smartoffice/api/doors.py).
  // Read it per request: a page visited after GraphiQL opened may have set it.
  function fetchWithCsrfToken(input, init) {
    const headers = new Headers((init && init.headers) || {});
    const token = cookie("csrftoken");
    if (token && !headers.has("X-CSRFToken")) {
      headers.set("X-CSRFToken", token);
    }
    return window.fetch(input, Object.assign({}, init, { headers: headers }));
  }

  const fetcher = GraphiQL.createFetcher({
    url: window.location.pathname,
    fetch: fetchWithCsrfToken,
  });

  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultEditorToolsVisibility: true,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
      inputValueDeprecation: true,
    }),
  );
})();
