package slack

import (
	"html/template"
	"net/http"
)

// pageTmpl is the install flow's answer page; html/template escapes every
// value, so nothing Slack or a link sends becomes markup.
var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{.Title}}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36em;margin:3em auto;padding:0 1em;line-height:1.5}</style>
</head><body>
<h1>{{.Title}}</h1>
<p>{{.What}}</p>
{{if .Next}}<p><strong>Next:</strong> {{.Next}}</p>{{end}}
</body></html>
`))

func page(w http.ResponseWriter, status int, title, what, next string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	pageTmpl.Execute(w, struct{ Title, What, Next string }{title, what, next})
}
