// Progressive enhancement, nothing more: the broadcast composer's audience count follows the segment as it is
// chosen. Without this file every page works by its forms (the «preview» button shows the count).
const form = document.getElementById("composer");
const count = document.getElementById("count");
if (form && count) {
  let pending;
  const update = async () => {
    const params = new URLSearchParams();
    for (const [k, v] of new FormData(form))
      if (["province", "county", "skill", "role", "veteran", "platform", "language", "source"].includes(k))
        params.append(k, String(v));
    const res = await fetch(`/console/broadcasts/count?${params}`, { credentials: "same-origin" });
    if (res.ok) count.textContent = (await res.json()).text;
  };
  form.addEventListener("change", () => {
    clearTimeout(pending);
    pending = setTimeout(update, 150);
  });
  update();
}
