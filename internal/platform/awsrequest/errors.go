package awsrequest

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// responseError reads a refusal as the SDK's clients do: its status and request ID, and the
// service's error code and message from the XML (S3, the query protocol) or JSON (the JSON
// protocols) it answered with. An answer without a body gets its status as the code (404:
// NotFound); one that is neither XML nor JSON has no API error, only its status.
func responseError(resp *http.Response, body []byte) error {
	requestID := firstOf(resp.Header.Get("X-Amzn-Requestid"), resp.Header.Get("X-Amz-Request-Id"))
	var inner error
	if api, id, ok := decodeError(resp, body); ok {
		inner, requestID = api, firstOf(requestID, id)
	} else {
		inner = fmt.Errorf("unreadable error answer (%d bytes)", len(body))
	}
	return &awshttp.ResponseError{
		RequestID:     requestID,
		ResponseError: &smithyhttp.ResponseError{Response: &smithyhttp.Response{Response: resp}, Err: inner},
	}
}

func decodeError(resp *http.Response, body []byte) (*smithy.GenericAPIError, string, bool) {
	fault := smithy.FaultClient
	if resp.StatusCode >= 500 {
		fault = smithy.FaultServer
	}
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) == 0:
		return &smithy.GenericAPIError{Code: strings.ReplaceAll(http.StatusText(resp.StatusCode), " ", ""), Fault: fault}, "", true
	case trimmed[0] == '{':
		var e struct {
			Type    string `json:"__type"`
			Code    string `json:"code"`
			Message string `json:"message"` // also matches "Message": the services use both
		}
		if json.Unmarshal(trimmed, &e) != nil {
			return nil, "", false
		}
		code := firstOf(resp.Header.Get("X-Amzn-Errortype"), e.Type, e.Code)
		return &smithy.GenericAPIError{Code: sanitizeCode(code), Message: e.Message, Fault: fault}, "", code != ""
	case trimmed[0] == '<':
		// S3 answers <Error><Code/><Message/><RequestId/></Error>; the query protocol
		// <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>.
		var e struct {
			Code, Message string
			RequestID     string `xml:"RequestId"`
			Error         struct{ Type, Code, Message string }
		}
		if xml.Unmarshal(trimmed, &e) != nil {
			return nil, "", false
		}
		code, message := firstOf(e.Error.Code, e.Code), firstOf(e.Error.Message, e.Message)
		switch e.Error.Type {
		case "Sender":
			fault = smithy.FaultClient
		case "Receiver":
			fault = smithy.FaultServer
		}
		return &smithy.GenericAPIError{Code: code, Message: message, Fault: fault}, e.RequestID, code != ""
	}
	return nil, "", false
}

// sanitizeCode keeps the name of a JSON protocol's error type: "aws.protocols#Name" and
// "Name:http://internal.amazon.com/..." are both Name.
func sanitizeCode(code string) string {
	if i := strings.IndexByte(code, ':'); i >= 0 {
		code = code[:i]
	}
	if i := strings.LastIndexByte(code, '#'); i >= 0 {
		code = code[i+1:]
	}
	return strings.TrimSpace(code)
}

func firstOf(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
