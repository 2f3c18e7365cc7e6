// Rewrites a translation package with the npm "xliff" package, as a JavaScript tool would:
// read it into JS, set every target to the source (inline codes included) plus " [fr, revised]",
// and write it back. Usage: node xliff_npm_revise.js 2.0|1.2 < package.xlf > revised.xlf
const xliff = require("xliff");

const version = process.argv[2];
const read = version === "1.2" ? xliff.xliff12ToJs : xliff.xliff2js;
const write = version === "1.2" ? xliff.jsToXliff12 : xliff.js2xliff;

let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  read(input, (error, js) => {
    if (error) throw error;
    for (const units of Object.values(js.resources)) {
      for (const unit of Object.values(units)) {
        const source = Array.isArray(unit.source) ? unit.source : [unit.source];
        unit.target = [...source, " [fr, revised]"];
      }
    }
    write(js, (writeError, output) => {
      if (writeError) throw writeError;
      process.stdout.write(output);
    });
  });
});
