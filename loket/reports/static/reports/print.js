/* The printable buku harian: its "Cetak" button prints the page (no inline handler: the CSP forbids them). */
document.getElementById("print-page").addEventListener("click", function () {
  window.print();
});
