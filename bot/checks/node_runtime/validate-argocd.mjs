// Schema checks of Argo CD objects against the published CRD schemas (@kubernetes-models/argo-cd).
// Request: [{id, object}]; result: [{id, error}] in the same order (error null = valid).
// bot/checks/node_process.py runs it with serve.mjs appended (which calls answer), from a tools directory.
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application'
import { ApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet'
import { AppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject'

const MODELS = { Application, ApplicationSet, AppProject }

function check(object) {
  const Model = MODELS[object.kind]
  if (!Model) return `no schema for ${object.apiVersion} ${object.kind}`
  try {
    new Model(object).validate()
    return null
  } catch (err) {
    return String(err.message ?? err).split('\n')[0]
  }
}

const answer = (objects) => objects.map(({ id, object }) => ({ id, error: check(object) }))
