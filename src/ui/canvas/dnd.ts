// The drag-and-drop payload type shared by the palette (drag source) and the canvas (drop target).
export const DRAG_TYPE = 'application/x-ganvas-node';
