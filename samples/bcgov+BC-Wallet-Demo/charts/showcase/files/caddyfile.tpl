:{{ .Values.showcase.frontend.containerPort }} {
    root * /srv
    file_server

    @encode_static {
        not path {{ .Values.showcase.baseRoute }}/demo/* {{ .Values.showcase.baseRoute }}/server/* {{ .Values.showcase.baseRoute }}/i/*
    }
    encode @encode_static gzip

    handle {{ .Values.showcase.baseRoute }}* {
        @admin_api {
            {{- include "showcase.adminApiPaths" . | nindent 12 }}
        }
        reverse_proxy @admin_api {$SHOWCASE_API_UPSTREAM}

        @spa_router {
            not {
                {{- include "showcase.adminApiPaths" . | nindent 16 }}
            }
            not path {{ .Values.showcase.baseRoute }}/demo/* {{ .Values.showcase.baseRoute }}/server/* {{ .Values.showcase.baseRoute }}/i/*
            file {
                try_files {path} {{ .Values.showcase.baseRoute }}/index.html
            }
        }
        rewrite @spa_router {http.matchers.file.relative}

        @pass {
            path {{ .Values.showcase.baseRoute }}/demo/* {{ .Values.showcase.baseRoute }}/server/* {{ .Values.showcase.baseRoute }}/i/*
        }
        reverse_proxy @pass {$SHOWCASE_API_UPSTREAM}
    }

    handle /health {
        respond 200
    }
}
