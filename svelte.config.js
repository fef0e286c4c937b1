// vitePreprocess compiles `lang="ts"` and `lang="scss"` blocks (rete-svelte-plugin's presets use scss).
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

export default {
  preprocess: vitePreprocess(),
};
