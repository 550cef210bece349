// A button with data-copy="ID" copies the value of the field with that id, and says so beside it. Without a clipboard
// (an http page, an old browser) the field's text is selected for the person to copy themselves.
document.addEventListener('click', async event => {
  const button = event.target.closest('button[data-copy]');
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  const result = button.parentElement.querySelector('.copy-result');
  try {
    await navigator.clipboard.writeText(field.value);
    if (result) result.textContent = 'Copied.';
  } catch {
    field.focus();
    field.select();
    if (result) result.textContent = 'Selected: press Ctrl+C or Cmd+C to copy.';
  }
});
