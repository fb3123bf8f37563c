{{/*
cozy-lib.name: the chart name, cut to a valid label value.
Usage: {{ include "cozy-lib.name" . }}
*/}}
{{- define "cozy-lib.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
cozy-lib.fullname: base name of every object of a release.
Applications are instantiated per tenant, so the release name is already unique
inside its namespace and is used as is.
Usage: {{ include "cozy-lib.fullname" . }}
*/}}
{{- define "cozy-lib.fullname" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
cozy-lib.chart: "<name>-<version>" for the helm.sh/chart label.
*/}}
{{- define "cozy-lib.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
cozy-lib.selectorLabels: the immutable subset of the labels, for selectors.
Usage: {{ include "cozy-lib.selectorLabels" . | nindent 6 }}
*/}}
{{- define "cozy-lib.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cozy-lib.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/*
cozy-lib.labels: the standard label set of every object.
Usage: {{ include "cozy-lib.labels" . | nindent 4 }}
*/}}
{{- define "cozy-lib.labels" -}}
helm.sh/chart: {{ include "cozy-lib.chart" . }}
{{ include "cozy-lib.selectorLabels" . }}
{{- with .Chart.AppVersion }}
app.kubernetes.io/version: {{ . | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: cozystack
{{- end -}}
