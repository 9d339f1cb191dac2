export { type FabricFilter, matchesFilter, renderFabricPage } from "./fabric-page.ts";
export { STATUS_CSS } from "./html.ts";
export { LIVE_SCRIPT } from "./live-script.ts";
export { renderRunPage, renderRunsPage } from "./runs-page.ts";
export { renderSectionPage, renderSwitchPage } from "./switch-page.ts";
