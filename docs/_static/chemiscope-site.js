// Adjustments to the stock chemiscope.sphinx loader, for this site.
//
// 1. Datasets are embedded in the page, in
//    <script type="application/json" data-chemiscope-dataset="...">. Answer
//    chemiscope's `fetchDataset(path)` from there, so that no request leaves the
//    page and file:// works too; fall back to the network for other datasets.
// 2. Give chemiscope's icon-only controls names that screen readers can read.
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

    function* allElements(root) {
        for (const element of root.querySelectorAll("*")) {
            yield element;
            if (element.shadowRoot) {
                yield* allElements(element.shadowRoot);
            }
        }
    }

    function hasName(element) {
        // tooltips are hidden until hovered: they do not name the control
        const visibleText = Array.from(element.childNodes)
            .filter((node) => !node.classList?.contains("chsp-tooltip"))
            .map((node) => (node.querySelector?.(".chsp-tooltip") ? "" : node.textContent))
            .join("")
            .trim();
        return element.getAttribute("aria-label") || element.getAttribute("title") || visibleText;
    }

    function nameControls(root) {
        for (const element of allElements(root)) {
            if (element.tagName === "BUTTON" && !hasName(element)) {
                const tooltip = element.querySelector(".chsp-tooltip");
                const icon = element.querySelector("svg[data-icon]");
                let name = "chemiscope control";
                if (tooltip && tooltip.textContent.trim()) {
                    name = tooltip.textContent.trim();
                } else if (icon && icon.dataset.icon === "bars") {
                    name = "Settings";
                } else if (icon) {
                    name = icon.dataset.icon;
                }
                element.setAttribute("aria-label", name);
            } else if (element.tagName === "INPUT" && !element.labels?.length &&
                       !element.getAttribute("aria-label")) {
                const context = element.parentElement?.textContent.trim().split(/\s+/)[0];
                element.setAttribute("aria-label", `${context || "value"} index`);
            } else if (element.hasAttribute("aria-expanded") && element.tagName === "DIV" &&
                       !element.getAttribute("role")) {
                // a plain div that toggles the property table (and holds the
                // index input): ARIA state is not allowed on it, and it cannot
                // become a button around another control
                element.removeAttribute("aria-expanded");
                element.removeAttribute("aria-controls");
            }
        }
    }

    const load = window.loadChemiscopeSphinx;
    window.loadChemiscopeSphinx = async function (divId, ...rest) {
        await load(divId, ...rest);
        const root = document.getElementById(divId);
        if (root) {
            nameControls(root);
            // controls created later (new viewers, opened menus) get named too
            root.addEventListener("click", () => setTimeout(() => nameControls(root), 0));
        }
    };
})();
