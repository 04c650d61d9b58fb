:{{ .Values.showcase.frontend.containerPort }} {
	@pass path {{ .Values.showcase.baseRoute }}/server/*
	handle @pass {
		reverse_proxy {$SHOWCASE_API_UPSTREAM}
	}
	handle {
		root * /srv
		try_files {path} {{ .Values.showcase.baseRoute }}/index.html
		file_server
	}
}
