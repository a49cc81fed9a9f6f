// Widgets on this site carry their dataset inside the page, in a
// <script type="application/json" data-chemiscope-dataset="..."> element.
// chemiscope.sphinx asks `fetchDataset(path)` for it: answer from the page,
// and fall back to the network only for datasets that are not embedded.
// With this, no request leaves the page, and file:// works too.
(function () {
    const fromNetwork = window.fetchDataset;
    window.fetchDataset = async function (path) {
        const embedded = document.querySelectorAll("script[data-chemiscope-dataset]");
        for (const element of embedded) {
            if (element.dataset.chemiscopeDataset === path) {
                return parseJsonWithNaN(element.textContent);
            }
        }
        return fromNetwork(path);
    };
})();
