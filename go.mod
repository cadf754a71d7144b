module github.com/certwiz/certwiz

go 1.26.0

require golang.org/x/net v0.62.0

require (
	github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common v1.3.211 // indirect
	golang.org/x/text v0.43.0 // indirect
)
