/** Shows the search term as the heading of the results. */
export function showTerm(container, term) {
  const heading = document.createElement("h2");
  heading.innerHTML = "Results for " + term;
  container.appendChild(heading);
}
