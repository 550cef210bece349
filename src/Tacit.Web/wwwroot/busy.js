// A form with data-busy="…" says so while the server works (telling thousands of people can take a minute) and is
// sent once: a second press would repeat an action the first is still doing. Without script the form still works.
document.addEventListener('submit', event => {
  const form = event.target.closest('form[data-busy]');
  if (!form) return;
  if (form.dataset.sent) {
    event.preventDefault();
    return;
  }
  form.dataset.sent = 'true';
  form.setAttribute('aria-busy', 'true');
  event.submitter?.setAttribute('aria-disabled', 'true');
  const status = form.querySelector('[data-busy-status]');
  if (status) status.textContent = form.dataset.busy;
});

// Back to a page the browser kept: its forms may be sent again.
window.addEventListener('pageshow', event => {
  if (!event.persisted) return;
  for (const form of document.querySelectorAll('form[data-busy][data-sent]')) {
    delete form.dataset.sent;
    form.removeAttribute('aria-busy');
    form.querySelector('[aria-disabled]')?.removeAttribute('aria-disabled');
    const status = form.querySelector('[data-busy-status]');
    if (status) status.textContent = '';
  }
});
