// Renders GraphiQL into #graphiql. It lives in its own file, not inline in
// index.html, so that the page's Content-Security-Policy can forbid inline
// scripts (script-src 'self'). Settings come from data-* attributes that the
// server fills in: data-endpoint and data-default-query.
(function () {
  'use strict';

  // GraphiQL's dialogs and menus inject a <style> element (through
  // react-style-singleton), which reads the global __webpack_nonce__ for the
  // nonce to put on it. The CSP allows inline <style> only with the nonce of
  // this response, which the server also put on this <script> element.
  var script = document.currentScript;
  if (script && script.nonce) {
    window.__webpack_nonce__ = script.nonce;
  }

  var root = document.getElementById('graphiql');
  // Relative to the page, so a proxy may mount the server under a path prefix.
  var endpoint = new URL(root.dataset.endpoint || 'graphql', window.location.href).href;
  var props = {
    fetcher: GraphiQL.createFetcher({ url: endpoint }),
    inputValueDeprecation: true,
  };
  if (root.dataset.defaultQuery) {
    props.defaultQuery = root.dataset.defaultQuery;
  }

  ReactDOM.createRoot(root).render(React.createElement(GraphiQL, props));
})();
