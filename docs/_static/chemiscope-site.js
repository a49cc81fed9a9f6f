// The chemiscope widgets of this site, drawn lazily and offline.
//
// The page holds, for each widget, a placeholder of its final size with the
// arguments of chemiscope's loadChemiscopeSphinx(id, path, mode, timeout) in
// data-chemiscope-* attributes. When a widget comes within a screen of the
// viewport, or the reader presses its button, this script loads chemiscope's
// bundle and its sphinx loader (once per page) and draws it. Then:
//
// 1. Each widget's dataset is a script (data-chemiscope-script) that puts it in
//    window.chemiscopeDatasets, loaded with the widget. Answer chemiscope's
//    `fetchDataset(path)` from there, so that file:// works too (a script loads
//    where fetch cannot); fall back to the network for other datasets.
// 2. Give chemiscope's icon-only controls names that screen readers can read.
//
// While a widget is on screen, the page's root has the class widget-on-screen,
// which hides the theme's floating "Back to top" button (custom.css): it would
// sit over the molecule.
(function () {
    const base = new URL(".", document.currentScript.src);
    let chemiscopeReady = null;

    function loadScript(url) {
        return new Promise((resolve, reject) => {
            const script = document.createElement("script");
            script.src = url.href;
            script.onload = resolve;
            script.onerror = () => reject(new Error(`could not load ${script.src}`));
            document.head.appendChild(script);
        });
    }

    function loadChemiscope() {
        if (chemiscopeReady === null) {
            chemiscopeReady = loadScript(new URL("chemiscope.min.js", base))
                .then(() => loadScript(new URL("chemiscope-sphinx.js", base)))
                .then(adaptLoader);
        }
        return chemiscopeReady;
    }

    function adaptLoader() {
        const fromNetwork = window.fetchDataset;
        window.fetchDataset = async function (path) {
            const loaded = window.chemiscopeDatasets || {};
            return path in loaded ? loaded[path] : fromNetwork(path);
        };
    }

    async function draw(embed) {
        if (embed.dataset.chemiscopeState) {
            return;
        }
        embed.dataset.chemiscopeState = "loading";
        const {
            chemiscopeId: id,
            chemiscopePath: path,
            chemiscopeMode: mode,
            chemiscopeTimeout: timeout,
            chemiscopeScript: dataset,
        } = embed.dataset;
        await Promise.all([
            loadChemiscope(),
            loadScript(new URL(dataset, document.baseURI)),
        ]);
        await window.loadChemiscopeSphinx(id, path, mode, timeout);
        embed.querySelector(".chemiscope-placeholder")?.remove();
        embed.dataset.chemiscopeState = "drawn";
        const root = document.getElementById(id);
        if (root) {
            nameControls(root);
            // controls created later (new viewers, opened menus) get named too
            root.addEventListener("click", () => setTimeout(() => nameControls(root), 0));
        }
    }
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

    const embeds = document.querySelectorAll(".chemiscope-embed[data-chemiscope-id]");
    const observer = new IntersectionObserver(
        (entries) => {
            for (const entry of entries) {
                if (entry.isIntersecting) {
                    observer.unobserve(entry.target);
                    draw(entry.target);
                }
            }
        },
        { rootMargin: "100% 0px" }
    );
    const onScreen = new Set();
    const watcher = new IntersectionObserver((entries) => {
        for (const entry of entries) {
            if (entry.isIntersecting) {
                onScreen.add(entry.target);
            } else {
                onScreen.delete(entry.target);
            }
        }
        document.documentElement.classList.toggle("widget-on-screen", onScreen.size > 0);
    });
    for (const embed of embeds) {
        observer.observe(embed);
        watcher.observe(embed);
        embed.querySelector(".chemiscope-placeholder button")?.addEventListener(
            "click",
            () => draw(embed)
        );
    }
})();
