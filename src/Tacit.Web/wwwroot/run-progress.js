// Follows a match run from the matching page without reloading it: reads the run from the API every two
// seconds, moves the progress bar, and reloads the page once when the run has ended so its result shows.
// The status line is a live region, so a screen reader hears each new stage, not every percent.
(() => {
  const section = document.querySelector('[data-follow-run]');
  if (!section) return;
  const bar = section.querySelector('progress');
  const status = section.querySelector('[data-run-stage]');
  let lastStage = null;
  let failures = 0;

  async function follow() {
    try {
      const response = await fetch(section.dataset.followRun, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      if (!response.ok) throw new Error(String(response.status));
      failures = 0;
      const run = await response.json();
      if (run.status !== 'queued' && run.status !== 'running') {
        // A fresh GET, not reload(): the page may be the answer to the form that started the run.
        window.location.replace(window.location.href.split('#')[0]);
        return;
      }
      bar.value = run.progressPercent;
      bar.textContent = `${run.progressPercent} %`;
      if (run.stage !== lastStage) {
        lastStage = run.stage;
        status.textContent = `${run.progressPercent} % · ${run.stage}`;
      }
    } catch {
      // A server restarting or a lost connection: keep trying, more slowly, and say so after a few misses.
      failures++;
      if (failures === 3) status.textContent = 'Cannot reach Tacit just now; still trying. The run goes on.';
    }
    setTimeout(follow, failures === 0 ? 2000 : Math.min(30000, 2000 * 2 ** failures));
  }

  setTimeout(follow, 2000);
})();
