# Sourced by run.sh and test.sh: the one build of the web app that is run and tested, `dotnet publish` output in
# artifacts/web. Only publish output carries the compressed static assets (app.css.gz, .br) that the static asset
# manifest names; a plain build's output answers a browser's gzip request for app.css with an empty body.
# Pass --no-build when the solution has just been built in Release.
publish_web() {
  dotnet publish src/Tacit.Web -c Release -o artifacts/web -nologo -clp:ErrorsOnly "$@"
}
