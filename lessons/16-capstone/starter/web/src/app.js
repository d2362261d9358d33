document.getElementById("calc").addEventListener("submit", async (event) => {
  event.preventDefault();
  const expr = document.getElementById("expr").value;
  const response = await fetch("/api/calc?expr=" + encodeURIComponent(expr));
  const body = await response.json();
  document.getElementById("result").textContent = body.result ?? body.error;
});
