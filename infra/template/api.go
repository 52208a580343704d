package template

// CORS is the HTTP API's CORS configuration, which API Gateway applies before any function:
// it answers preflight requests itself and adds the headers to every response.
type CORS struct {
	AllowOrigins  []string
	AllowHeaders  []string
	AllowMethods  []string
	ExposeHeaders []string
	MaxAge        int
}

// CORS returns the HTTP API's CORS configuration, if it has one.
func (t *Template) CORS() (CORS, bool) {
	for _, api := range t.cf.GetAllServerlessHttpApiResources() {
		if api.CorsConfiguration == nil || api.CorsConfiguration.CorsConfigurationObject == nil {
			continue
		}
		c := api.CorsConfiguration.CorsConfigurationObject
		out := CORS{AllowOrigins: c.AllowOrigins, AllowHeaders: c.AllowHeaders, AllowMethods: c.AllowMethods, ExposeHeaders: c.ExposeHeaders}
		if c.MaxAge != nil {
			out.MaxAge = *c.MaxAge
		}
		return out, true
	}
	return CORS{}, false
}
